export function SharePage() {
  return <p>Coming soon.</p>;
}
