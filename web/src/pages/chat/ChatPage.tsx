export function ChatPage() {
  return <p>Coming soon.</p>;
}
