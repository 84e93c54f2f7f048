"""The action server stays small: actions import only the services and rasa-sdk."""

import ast
import subprocess
import sys

from passordhjelp.config import PROJECT_ROOT

ALLOWED_PACKAGES = {"actions", "passordhjelp", "rasa_sdk"}


def test_layers_actions_import_only_services_and_rasa_sdk():
    imported = set()
    for path in (PROJECT_ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"__future__"}
    assert third_party <= ALLOWED_PACKAGES, third_party - ALLOWED_PACKAGES


def test_layers_action_server_loads_neither_spacy_nor_rasa():
    # What `python -m runtime.action_server` loads before it serves: the server
    # module, every action (rasa-sdk registers the package) and the services.
    code = ("import sys, runtime.action_server, rasa_sdk.endpoint\n"
            "from rasa_sdk.executor import ActionExecutor\n"
            "from passordhjelp.bootstrap import services\n"
            "ActionExecutor().register_package('actions')\n"
            "services()\n"
            "print(sorted(m for m in ('spacy', 'rasa', 'tensorflow', 'channels') "
            "if m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True,
                            capture_output=True, text=True, timeout=120,
                            env={"DATABASE_URL": "sqlite://", "PATH": ""})
    assert result.stdout.strip() == "[]"
