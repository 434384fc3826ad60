"""The policy alone decides (docs/adr/0016): no module but accounts/permissions.py defines a `may_*`
predicate, reads `is_super_admin` or compares an account type, and no template mentions
`is_super_admin` or branches on an account type. Templates ask `{% may %}` instead."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "anonymisation", "events", "lfpse", "organisations")
POLICY = Path("accounts/permissions.py")
ACCOUNT_TYPE_VALUES = {"standard", "organisational", "admin", "read_only"}
POLICY_SETS = {"ENHANCED", "CAN_READ", "ADMIN_ONLY"}
IF_TAG = re.compile(r"{%-?\s*(?:el)?if\b(.*?)-?%}", re.S)
ACCOUNT_TYPE_TEST = re.compile(
    r"account_type\s*(?:==|!=|\bin\b|\bnot\s+in\b)|(?:==|!=|\bin\b)\s*[\w.]*account_type\b"
)


def python_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" not in relative.parts and relative != POLICY:
                yield relative


def _is_account_type(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "AccountType"
    if isinstance(node, ast.Name):
        return node.id in POLICY_SETS
    return False


def _compares_account_type(node: ast.Compare) -> bool:
    operands = [node.left, *node.comparators]
    if any(_is_account_type(operand) for operand in operands):
        return True
    reads_account_type = any(
        isinstance(operand, ast.Attribute) and operand.attr == "account_type" for operand in operands
    )
    literal = any(
        isinstance(operand, ast.Constant) and operand.value in ACCOUNT_TYPE_VALUES for operand in operands
    )
    return reads_account_type and literal


def decisions_outside_the_policy(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("may_"):
            found.append(f"defines {node.name}")
        elif isinstance(node, ast.Attribute) and node.attr == "is_super_admin":
            if isinstance(node.ctx, ast.Load):
                found.append(f"reads is_super_admin (line {node.lineno})")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr":
            if any(isinstance(arg, ast.Constant) and arg.value == "is_super_admin" for arg in node.args):
                found.append(f"reads is_super_admin (line {node.lineno})")
        elif isinstance(node, ast.Compare) and _compares_account_type(node):
            found.append(f"compares an account type (line {node.lineno})")
    return found


def test_the_checker_finds_what_it_forbids():
    source = """
def may_do(user):
    return user.is_super_admin or getattr(user, "is_super_admin", False)

def other(membership, user):
    user.is_super_admin = False  # writing the status is a service's job, not a decision
    return membership.account_type == "admin" or membership.account_type in ADMIN_ONLY or (
        membership.account_type != AccountType.READ_ONLY
    )
"""
    assert decisions_outside_the_policy(source) == [
        "defines may_do",
        "reads is_super_admin (line 3)",
        "reads is_super_admin (line 3)",
        "compares an account type (line 7)",
        "compares an account type (line 7)",
        "compares an account type (line 8)",
    ]


def test_no_module_but_the_policy_decides_who_may_do_what():
    found = {
        (str(path), problem)
        for path in python_modules()
        for problem in decisions_outside_the_policy((ROOT / path).read_text())
    }
    assert found == set()


def test_no_template_asks_for_an_account_type_or_super_admin_status():
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text()
        relative = path.relative_to(ROOT)
        if "is_super_admin" in text:
            found.append(f"{relative}: is_super_admin")
        for condition in IF_TAG.findall(text):
            if ACCOUNT_TYPE_TEST.search(condition):
                found.append(f"{relative}: {{% if {condition.strip()} %}}")
    assert found == []


def test_the_template_checker_finds_an_account_type_branch():
    text = '{% if form.account_type.errors %}{% elif membership.account_type == "admin" %}{% endif %}'
    assert [c for c in IF_TAG.findall(text) if ACCOUNT_TYPE_TEST.search(c)] == [
        ' membership.account_type == "admin" '
    ]
