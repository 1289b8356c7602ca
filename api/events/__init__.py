"""Members' events over GraphQL: the live `memberEvents` subscription and `Member.events`."""
