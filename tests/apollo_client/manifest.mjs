// Prints the persisted-query manifest of GraphQL files, made the way Apollo's
// generate-persisted-query-manifest makes it (without its build-tool dependencies): each
// operation is run through a real ApolloClient whose InMemoryCache adds `__typename` and whose
// fragment registry holds every file's fragments, and a terminating link records
// `print(sortTopLevelDefinitions(operation.query))` and its SHA-256.
// Usage: node manifest.mjs FILE.graphql... > manifest.json
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { createFragmentRegistry } from "@apollo/client/cache";
import { Kind, parse, print } from "graphql";
import { of } from "rxjs";

// `sortTopLevelDefinitions` of @apollo/persisted-query-lists: operations first, then by name.
function sortTopLevelDefinitions(document) {
  const definitions = [...document.definitions].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind > b.kind ? -1 : 1;
    const an = a.name?.value ?? "", bn = b.name?.value ?? "";
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  return { ...document, definitions };
}

const documents = process.argv.slice(2).map((path) => parse(readFileSync(path, "utf8")));
const fragments = documents.flatMap((d) => d.definitions.filter((x) => x.kind === Kind.FRAGMENT_DEFINITION));
const operations = [];
const client = new ApolloClient({
  cache: new InMemoryCache({ fragments: createFragmentRegistry({ kind: Kind.DOCUMENT, definitions: fragments }) }),
  link: new ApolloLink((operation) => {
    const body = print(sortTopLevelDefinitions(operation.query));
    const type = operation.query.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION).operation;
    operations.push({ id: createHash("sha256").update(body).digest("hex"), name: operation.operationName, type, body });
    return of({ data: null });
  }),
});
for (const document of documents) {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const query = { kind: Kind.DOCUMENT, definitions: [definition] }; // fragments: the registry
    if (definition.operation === "mutation") {
      await client.mutate({ mutation: query, variables: {} }).catch(() => {});
    } else {
      await client.query({ query, fetchPolicy: "no-cache" }).catch(() => {});
    }
  }
}
operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
console.log(JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations }, null, 2));
