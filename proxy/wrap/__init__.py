"""`veil wrap` / `veil unwrap`: put the proxy in front of every server of an MCP client's config, and take
it away again, editing the config's text in place (comments, key order and unknown keys kept)."""
