// GraphQL over HTTP compliance: runs graphql-http's serverAudits against a running endpoint.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql   (or PLAUDIT_AUDIT_URL=...)
// Every MUST and SHOULD audit must be ok; MAY audits that warn are reported but do not fail.
import { serverAudits } from 'graphql-http';

const url = process.argv[2] || process.env.PLAUDIT_AUDIT_URL;
if (!url) {
  console.error('usage: node audit.mjs <graphql url> (or set PLAUDIT_AUDIT_URL)');
  process.exit(2);
}

const level = (name) =>
  name.startsWith('MUST') ? 'MUST' : name.startsWith('SHOULD') ? 'SHOULD' : 'MAY';

let passed = 0;
let failed = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const required = level(audit.name) !== 'MAY';
  if (result.status === 'ok') {
    passed += 1;
  } else if (required) {
    failed += 1;
  }
  const reason = result.status === 'ok' ? '' : ` -- ${result.reason}`;
  console.log(`${result.status.padEnd(5)} [${audit.id}] ${audit.name}${reason}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
