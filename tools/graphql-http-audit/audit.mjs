// Runs graphql-http's GraphQL-over-HTTP server audits against a URL and prints the results as JSON.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql [token]
// With a token, every request carries `Authorization: Bearer <token>` (production servers answer
// introspection, which some audits use, only to authenticated callers).
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint url> [token]');
  process.exit(2);
}
const token = process.argv[3];
const fetchFn = token
  ? (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    }
  : undefined;
const results = await auditServer({ url, fetchFn });
const out = results.map((r) => ({
  id: r.id,
  name: r.name,
  status: r.status,
  reason: r.status === 'ok' ? null : r.reason,
}));
process.stdout.write(JSON.stringify(out, null, 1));
