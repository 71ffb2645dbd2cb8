"""App analytics: the `app_chat_logs` rows, the dashboard figures and the chat log list/export."""
