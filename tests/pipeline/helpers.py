"""Small fixture workspaces for the pipeline tests, written into a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA = {
    "system": "audiovisual",
    "description": "Audiovisual system",
    "version": "1.0.0",
    "objects": {
        "display": {"properties": {}, "relationships": {}, "behavior_profile": "display_behavior"},
        "projector": {
            "properties": {},
            "relationships": {},
            "behavior_profile": "projector_behavior",
        },
    },
}
ELECTRICAL = {
    "system": "electrical",
    "description": "Electrical system",
    "version": "1.0.0",
    "objects": {"outlet": {"properties": {}, "relationships": {}, "behavior_profile": "outlet_behavior"}},
}


def symbol(sid: str, system: str, obj: str, profile: str, body: str = '<rect width="80" height="60"/>') -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:arx="http://arxos.io/svgx" viewBox="0 0 80 60">\n'
        f"  <title>{sid}</title>\n"
        "  <metadata>\n"
        f'    <arx:symbol id="{sid}" name="{sid}" system="{system}" object-type="{system}.{obj}"'
        f' behavior-profile="{profile}" version="1.0.0"/>\n'
        "  </metadata>\n"
        f"  {body}\n"
        "</svg>\n"
    )


def profile(pid: str, system: str, obj: str) -> str:
    return (
        json.dumps(
            {
                "id": pid,
                "version": "1.0.0",
                "system": system,
                "applies_to": [f"{system}.{obj}"],
                "description": f"{obj} behavior",
                "variables": {
                    "voltage": {
                        "kind": "input",
                        "unit": "V",
                        "default": 120,
                        "min": 100,
                        "max": 130,
                    }
                },
            },
            indent=2,
        )
        + "\n"
    )


# The mechanics tests are about steps, gates and the record, not about the rules: they
# select the reading, structure, compliance and tool families only, so that rules landing
# later in other families cannot change what these workspaces produce.
MECHANICS_CONFIG = 'select = ["SVX0", "SVX1", "SVX5", "SVX9"]\n\n[gates]\ncoverage = false\n'


def write_workspace(root: Path, *, broken: bool = False, config: str | None = MECHANICS_CONFIG) -> Path:
    """A two-system workspace; ``broken`` adds one file that is not well-formed (SVX001)."""
    files = {
        "schemas/audiovisual/schema.json": json.dumps(SCHEMA, indent=2) + "\n",
        "schemas/electrical/schema.json": json.dumps(ELECTRICAL, indent=2) + "\n",
        "symbols/audiovisual/AV_Display_001.svgx": symbol(
            "AV_Display_001", "audiovisual", "display", "display_behavior"
        ),
        "symbols/audiovisual/AV_Projector_001.svgx": symbol(
            "AV_Projector_001", "audiovisual", "projector", "projector_behavior"
        ),
        "symbols/electrical/EL_Outlet_001.svgx": symbol("EL_Outlet_001", "electrical", "outlet", "outlet_behavior"),
        "profiles/display_behavior.behavior.json": profile("display_behavior", "audiovisual", "display"),
        "profiles/projector_behavior.behavior.json": profile("projector_behavior", "audiovisual", "projector"),
        "profiles/outlet_behavior.behavior.json": profile("outlet_behavior", "electrical", "outlet"),
    }
    if broken:
        files["symbols/electrical/EL_Switch_001.svgx"] = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>x</title><rect></svg>\n'
        )
    if config is not None:
        files["svgx.toml"] = config
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
