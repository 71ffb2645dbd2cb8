export function LogsPage() {
  return <p>Coming soon.</p>;
}
