/** `npm run simulate -- serve`: live loopback servers (being built). */
export function serve(_args: string[]): Promise<void> {
  process.stderr.write("simulate serve is not available yet; use `npm run simulate -- history`\n");
  process.exitCode = 2;
  return Promise.resolve();
}
