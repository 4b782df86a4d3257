"""Transports are (read, write) stream pairs, as in the MCP SDK: stdio, and memory for tests."""
