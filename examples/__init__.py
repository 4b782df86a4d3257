"""Example MCP backends for mcp-veil: fake agency data, a Google Ads / Search Console shaped server and a
small echo server. They use only the runtime dependencies, so `veil demo` and the end-to-end tests can
launch them with `python -m examples.ads_console_server` / `python -m examples.echo_server`."""
