export function DatasetDetailPage() {
  return <p>Coming soon.</p>;
}
