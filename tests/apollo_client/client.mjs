// Apollo Client 4 against a running `plaudit serve`: automatic persisted queries over GET, ETag
// and 304, and the safelist of PLAUDIT_PERSISTED_QUERIES=only. Run by run.sh.
// Usage: node client.mjs auto|only URL TOKEN
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const [mode, url, token] = process.argv.slice(2);
const app = gql(readFileSync(new URL("app.graphql", import.meta.url), "utf8"));
// One operation of app.graphql and the fragments it spreads, as a bundler's loader exports it.
const operation = (name, ...fragments) => ({
  ...app,
  definitions: app.definitions.filter((d) => [name, ...fragments].includes(d.name.value)),
});
const PROGRESS = operation("Progress", "Balance");
const ACTIONS = operation("Actions");
const RENAME = operation("Rename");
const SNEAKY = gql`query Sneaky { actions { key name } }`;
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

let passed = 0;
async function check(name, body) {
  await body();
  passed += 1;
  console.log(`ok ${passed} - ${name}`);
}

// An app's client: the persisted-query link with hashed queries over GET, an HttpLink whose
// requests are recorded (method, whether a query and a hash were sent, status).
function appClient({ authorized = true } = {}) {
  const sent = [];
  const recording = async (input, init) => {
    const response = await fetch(input, init);
    const target = new URL(input, url);
    const body = init.body ? JSON.parse(init.body) : null;
    const extensions = body?.extensions ?? JSON.parse(target.searchParams.get("extensions") ?? "null");
    sent.push({
      method: init.method,
      url: target.toString(),
      query: Boolean(body?.query ?? target.searchParams.get("query")),
      hash: extensions?.persistedQuery?.sha256Hash ?? null,
      status: response.status,
      cacheControl: response.headers.get("cache-control"),
    });
    return response;
  };
  const headers = authorized ? { authorization: `Bearer ${token}` } : {};
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
      new HttpLink({ uri: url, fetch: recording, headers }),
    ),
  });
  return { client, sent };
}

async function refusedWith(promise, code) {
  try {
    await promise;
  } catch (error) {
    assert.ok(CombinedGraphQLErrors.is(error), `expected GraphQL errors, got ${error}`);
    assert.deepEqual(error.errors.map((e) => e.extensions?.code), [code]);
    return;
  }
  assert.fail(`expected ${code}`);
}

if (mode === "auto") {
  let hashOnlyGet;
  await check("a first client's GET with the hash alone is NOT_FOUND; its retry registers", async () => {
    const { client, sent } = appClient();
    const { data } = await client.query({ query: PROGRESS, fetchPolicy: "network-only" });
    assert.equal(data.me.id, "ada");
    assert.deepEqual(
      sent.map(({ method, query, hash, status }) => [method, query, Boolean(hash), status]),
      [
        ["GET", false, true, 200], // PERSISTED_QUERY_NOT_FOUND, with 200 as Apollo Server
        ["POST", true, true, 200], // the link's retry: query and hash, registered
      ],
    );
  });

  await check("a second client's GET with the hash alone is answered at once", async () => {
    const { client, sent } = appClient();
    const { data } = await client.query({ query: PROGRESS, fetchPolicy: "network-only" });
    assert.equal(data.me.id, "ada");
    assert.equal(data.me.points.balance, 0);
    assert.deepEqual(sent.map(({ method, query, status }) => [method, query, status]), [["GET", false, 200]]);
    hashOnlyGet = sent[0].url;
  });

  await check("the same GET with If-None-Match is 304 with an empty body", async () => {
    const headers = { authorization: `Bearer ${token}`, accept: "application/graphql-response+json" };
    const first = await fetch(hashOnlyGet, { headers });
    assert.equal(first.status, 200);
    const etag = first.headers.get("etag");
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.equal(first.headers.get("cache-control"), "private, no-cache");
    const again = await fetch(hashOnlyGet, { headers: { ...headers, "if-none-match": etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
    assert.equal(again.headers.get("etag"), etag);
  });

  await check("an anonymous read is public but revalidated; a mutation goes by POST", async () => {
    await appClient({ authorized: false }).client.query({ query: ACTIONS }); // registers it
    const anonymous = appClient({ authorized: false });
    await anonymous.client.query({ query: ACTIONS });
    assert.deepEqual(
      anonymous.sent.map(({ method, status, cacheControl }) => [method, status, cacheControl]),
      [["GET", 200, "public, no-cache"]],
    );
    const { client, sent } = appClient();
    const { data } = await client.mutate({ mutation: RENAME, variables: { name: "Ada" } });
    assert.deepEqual(data.updateProfile.errors, []);
    assert.ok(sent.every(({ method }) => method === "POST"));
  });
} else if (mode === "only") {
  await check("a registered document is answered on its first GET, by hash alone", async () => {
    const { client, sent } = appClient();
    const { data } = await client.query({ query: PROGRESS, fetchPolicy: "network-only" });
    assert.equal(data.me.id, "ada");
    assert.deepEqual(sent.map(({ method, query, status }) => [method, query, status]), [["GET", false, 200]]);
  });

  await check("a registered mutation runs", async () => {
    const { client } = appClient();
    const { data } = await client.mutate({ mutation: RENAME, variables: { name: "Ada" } });
    assert.deepEqual(data.updateProfile.errors, []);
  });

  await check("an unregistered document is refused, hash or full text", async () => {
    const { client, sent } = appClient();
    await refusedWith(client.query({ query: SNEAKY, fetchPolicy: "network-only" }), "PERSISTED_QUERY_NOT_ALLOWED");
    assert.deepEqual(sent.map(({ method, query }) => [method, query]), [["GET", false], ["POST", true]]);
    const plain = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({ query: "{ actions { key name } }" }),
    });
    assert.equal(plain.status, 400);
    assert.equal((await plain.json()).errors[0].extensions.code, "PERSISTED_QUERY_NOT_ALLOWED");
  });
} else {
  console.error("usage: node client.mjs auto|only URL TOKEN");
  process.exit(2);
}
console.log(`${passed} passed, 0 failed`);
