"""User-generated content: `submission`, `moderation`, `votes`, `reads` (visibility and keyset
lists) and the `board` that ranks authors by their content's score."""
