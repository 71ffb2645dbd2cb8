export function DatasetsPage() {
  return <p>Coming soon.</p>;
}
