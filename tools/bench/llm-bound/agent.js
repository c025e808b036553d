// A command-phase "agent" for the LLM-bound bench: asks the loopback OpenAI-compatible server once (so the bench
// times it at the server, like an openai phase), then writes the phase's planned files into its snapshot.
// Usage (as a plan's nx-phases:command): node agent.js <baseURL>
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');

async function main() {
  const context = JSON.parse(readFileSync(process.env.NX_PHASES_CONTEXT_FILE, 'utf8'));
  const { number, name, plannedFiles } = context.phase;
  const response = await fetch(`${process.argv[2]}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-not-a-secret' },
    body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `Phase ${number}: ${name}` }] }),
  });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  await response.json();
  for (const file of plannedFiles) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `export const phase${number} = ${JSON.stringify(name)};\n`);
  }
}

main().catch((error) => {
  console.error(`agent: ${error.message}`);
  process.exit(1);
});
