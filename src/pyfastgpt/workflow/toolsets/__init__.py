"""Tool sets a workflow calls out to: MCP servers (`mcp`), HTTP tool sets (`http`), the stored
header secrets both use (`secrets`), and the runtime expansion of `toolSet` nodes into one `tool`
node per tool (`expand`)."""
