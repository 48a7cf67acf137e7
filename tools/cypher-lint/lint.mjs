// Lint Cypher statements with Neo4j's own linter (@neo4j-cypher/language-support).
//
// stdin:  {"statements": [{"name": "...", "query": "..."}], "labels": [...], "relationshipTypes": [...]}
// stdout: {"version": "...", "results": [{"name": "...", "diagnostics": [{severity, message, line, column}]}]}
//
// Undefined-parameter diagnostics are dropped with the package's own isNotParamError: the
// statements take their values as parameters supplied at run time. Every other diagnostic is kept.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, isNotParamError } from '@neo4j-cypher/language-support';

const version = JSON.parse(
  readFileSync(new URL('./node_modules/@neo4j-cypher/language-support/package.json', import.meta.url), 'utf8'),
).version;

const input = JSON.parse(readFileSync(0, 'utf8'));
const schema = { defaultLanguage: 'CYPHER 5' };
if (Array.isArray(input.labels)) schema.labels = input.labels;
if (Array.isArray(input.relationshipTypes)) schema.relationshipTypes = input.relationshipTypes;

const results = input.statements.map(({ name, query }) => {
  const { diagnostics } = lintCypherQuery(query, schema);
  return {
    name,
    diagnostics: diagnostics.filter(isNotParamError).map((d) => ({
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
  };
});
process.stdout.write(JSON.stringify({ version, results }) + '\n');
