"""A tiny CRM MCP server with write tools, to put behind `veil run` with an approval policy.

    python -m examples.crm_server

Tools: `get_contact` (read-only: a contact with a name and an email), `update_contact` (declares
`destructiveHint`, takes `validate_only` for a dry run), `delete_contact` (no hints: only its name says it
writes). Every write that really happens is appended, as one JSON line, to the file named by
$VEIL_EXAMPLE_CRM_WRITES (if set), so a test can count what reached the backend.
"""

from __future__ import annotations

import json
import os

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

WRITES_ENV = "VEIL_EXAMPLE_CRM_WRITES"

CONTACTS = {
    "c-1001": {
        "contactId": "c-1001",
        "fullName": "Jane Miller",
        "email": "jane.miller@acme-plumbing.example",
    },
    "c-1002": {"contactId": "c-1002", "fullName": "Omar Haddad", "email": "omar.haddad@brightdental.example"},
}


def _contact(contact_id: str) -> dict[str, str]:
    found = CONTACTS.get(contact_id)
    if found is None:
        raise ToolError("no such contact")
    return found


def _written(record: dict[str, str]) -> None:
    path = os.environ.get(WRITES_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, sort_keys=True) + "\n")


def build_server() -> MCPServer:
    server = MCPServer("crm")

    @server.tool(annotations=ToolAnnotations(read_only_hint=True))
    def get_contact(contact_id: str) -> str:
        """A contact's name and email."""
        return json.dumps(_contact(contact_id))

    @server.tool(annotations=ToolAnnotations(destructive_hint=True, read_only_hint=False))
    def update_contact(contact_id: str, email: str, validate_only: bool = False) -> str:
        """Change a contact's email. With validate_only, only say what would change."""
        before = _contact(contact_id)
        if validate_only:
            return f"would change the email of {contact_id} from {before['email']} to {email}"
        _written({"tool": "update_contact", "contact_id": contact_id, "email": email})
        return f"updated {contact_id}"

    @server.tool()
    def delete_contact(contact_id: str) -> str:
        """Delete a contact."""
        _contact(contact_id)
        _written({"tool": "delete_contact", "contact_id": contact_id})
        return f"deleted {contact_id}"

    return server


def main() -> None:
    build_server().run("stdio")


if __name__ == "__main__":
    main()
