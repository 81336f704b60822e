"""DBX201 hardcoded-secret."""

from __future__ import annotations

import ast
import re

from codemods.engine.context import RuleContext
from codemods.rules._databricks import mentions_any, nodes_of_type, string_constant
from codemods.rules.base import Invalid, Rule

_TOKEN_PATTERNS = (
    (
        re.compile(r"(?<![0-9A-Za-z])(?:dapi|dkea|dosa)[0-9a-f]{32}(?:-\d+)?(?![0-9A-Za-z])"),
        "a Databricks token",
    ),
    (re.compile(r"(?<![0-9A-Z])(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])"), "an AWS access key"),
    # `...;password=s3cret;...` in a JDBC URL or connection string (not `password={pw}`,
    # `password=${DB_PASSWORD}`, `password=<password>` or a mask).
    (
        re.compile(r"(?i)(?<!\w)(?:password|passwd|pwd)=['\"]?(?![{$<%*?])[^;&\s'\"]{4,}"),
        "a password in a connection string",
    ),
)
_CONNECTION_WORDS = ("password=", "passwd=", "pwd=")
_SECRET_NAME = re.compile(r"(?i)(password|passwd|secret|token)$")
_TOKEN_PREFIXES = ("dapi", "dkea", "dosa", "AKIA", "ASIA")
# Methods taking a (key, value) pair of strings.
_KEY_VALUE_METHODS = frozenset({"option", "config", "set", "setdefault"})
_MIN_SECRET_LENGTH = 4
_SHORTEST_MATCH = len("pwd=abcd")
# Values that name or point to a secret instead of being one.
_NOT_A_SECRET = re.compile(
    r"^\s*$"  # empty
    r"|^\{\{\s*secrets/.*\}\}$"  # Databricks secret reference in Spark conf / job settings
    r"|^\$\{.*\}$|^%\(.*\)s$|^<[^>]*>$|^\{[^{}]*\}$"  # ${VAR}, %(var)s, <placeholder>, {name}
    r"|^[A-Z][A-Z0-9_]*$"  # an environment variable's name
    r"|^[*xX.•-]+$"  # a mask
)


class HardcodedSecret(Rule):
    """
    ## What it does
    Flags secrets written into code: Databricks personal access tokens (`dapi`, `dkea` or
    `dosa` and 32 hex digits), AWS access key ids (`AKIA`/`ASIA` and 16 characters), a
    `password=` (or `pwd=`) inside a JDBC URL or connection string, and a string literal of
    four or more characters without spaces given to an option (`.option("password", "...")`,
    `.config(...)`), a keyword (`password="..."`) or a dictionary key or item assignment
    (`{"client_secret": "..."}`, `os.environ["DB_TOKEN"] = "..."`) whose name ends in
    `password`, `passwd`, `secret` or `token`. Names are matched at their end, so a
    `"dosage"` is not a secret; placeholders (`{{secrets/scope/key}}`, `${VAR}`, `<token>`)
    and environment variable names (`"DATABRICKS_TOKEN"`) are not flagged.

    ## Why is this bad?
    A secret in code is in every clone, fork, notebook revision and log of the repository,
    and rotating it means a code change. Databricks secret scopes and the SDK's unified
    authentication keep credentials out of code.

    ## Example
    ```python
    orders = (
        spark.read.format("jdbc")
        .option("url", "jdbc:postgresql://db/shop")
        .option("password", "hunter2")
        .load()
    )
    ```

    ## Use instead
    ```python
    password = dbutils.secrets.get(scope="shop", key="db-password")
    orders = spark.read.format("jdbc").option("password", password).load()
    ```

    ## Fix safety
    No fix: the secret has to be moved to a secret scope and rotated by a person.

    ## References
    - [Secret management](https://docs.databricks.com/en/security/secrets/index.html)
    - [Databricks personal access tokens](https://docs.databricks.com/en/dev-tools/auth/pat.html)
    - [Databricks unified authentication](https://docs.databricks.com/en/dev-tools/auth/unified-auth.html)
    """

    code = "DBX201"
    name = "hardcoded-secret"
    severity = "error"
    # The module only: the text is searched for token shapes and secret-like names first;
    # nodes are visited only in the files that have them.
    node_types = (ast.Module,)

    valid = [
        """
        password = dbutils.secrets.get(scope="shop", key="db-password")
        orders = spark.read.format("jdbc").option("password", password).load()
        """,
        # `"dosage"` and other names that only contain the words; empty values, a prompt, an
        # emoji table.
        """
        df = spark.table("main.pharmacy.orders").select("dosage", "token_count")
        settings = {"secret_scope": "shop", "password": "", "token": "Paste your token here"}
        EMOJI = {"secret": "㊙", "key": "🔑"}
        make_client(tokenizer="bpe", secrets_path="/Volumes/main/x")
        """,
        # Placeholders and environment variable names.
        """
        import os
        conf = {"spark.hadoop.fs.azure.account.key": "{{secrets/lake/key}}"}
        client = connect(token="DATABRICKS_TOKEN", password="${DB_PASSWORD}")
        token = os.environ["DATABRICKS_TOKEN"]
        """,
        # Hex that is not a token (wrong length), an id that is not an AWS key, connection
        # strings whose password is a placeholder.
        """
        checksum = "dapi0123456789abcdef"
        run_id = "AKIA123"
        url = f"jdbc:sqlserver://db;user=etl;password={password}"
        template = "Server=db;Uid=etl;Pwd=${DB_PASSWORD};"
        """,
    ]
    invalid = [
        Invalid(
            """
            orders = (
                spark.read.format("jdbc")
                .option("url", "jdbc:postgresql://db/shop")
                .option("password", "hunter2")
                .load()
            )
            """,
            at=[(4, 25)],
        ),
        Invalid(
            """
            from databricks.sdk import WorkspaceClient
            workspace = WorkspaceClient(
                host="https://adb-1.azuredatabricks.net",
                token="dapi0123456789abcdef0123456789abcdef",
            )
            """,
            at=[(4, 11)],
        ),
        Invalid(
            """
            import os
            os.environ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE"
            os.environ["DB_PASSWORD"] = "s3cr3t!"
            """,
            at=[(2, 35), (3, 29)],
        ),
        Invalid(
            """
            credentials = {
                "client_id": "app",
                "client_secret": "q8~Qx.abcdef",
            }
            spark.conf.set("fs.azure.account.oauth2.client.secret", "q8~Qx.abcdef")
            """,
            at=[(3, 22), (5, 57)],
        ),
        Invalid(
            """
            HEADERS = {"Authorization": f"Bearer dapi0123456789abcdef0123456789abcdef-2"}
            """,
            at=[(1, 29)],
        ),
        Invalid(
            """
            orders = spark.read.jdbc(
                "jdbc:sqlserver://db.example.com;database=shop;user=etl;password=Tr0ub4dor",
                "dbo.orders",
            )
            """,
            at=[(2, 5)],
        ),
    ]

    def check(self, node: ast.Module, ctx: RuleContext) -> None:
        types: list[type[ast.AST]] = []
        source = ctx.source
        if (
            any(prefix in source for prefix in _TOKEN_PREFIXES)
            or mentions_any(ctx, _CONNECTION_WORDS)
        ) and any(pattern.search(source) for pattern, _ in _TOKEN_PATTERNS):
            types.append(ast.Constant)
        if mentions_any(ctx, ("password", "passwd", "secret", "token")):
            types.extend((ast.Call, ast.Dict, ast.Assign))
        if types:
            for found in nodes_of_type(ctx, *types):
                self._check_node(found, ctx)

    def _check_node(self, node: ast.AST, ctx: RuleContext) -> None:
        if isinstance(node, ast.Constant):
            text = string_constant(node)
            if text is None or len(text) < _SHORTEST_MATCH:
                return
            for pattern, what in _TOKEN_PATTERNS:
                if pattern.search(text):
                    target = ctx.parent(node)
                    at = target if isinstance(target, ast.JoinedStr) else node
                    ctx.report(at, f"String literal holds {what}; read it from a secret scope")
                    return
            return
        for name, value in _named_values(node):
            if _SECRET_NAME.search(name) and _is_secret_literal(value):
                if any(pattern.search(value.value) for pattern, _ in _TOKEN_PATTERNS):
                    return  # reported as a token already
                ctx.report(
                    value,
                    f"Hard-coded value for `{name}`; read it from a secret scope",
                )


def _named_values(node: ast.AST):
    """(name, value) pairs: keywords and key/value options of a call, dict items, and
    `x["NAME"] = value` item assignments."""
    if isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg:
                yield keyword.arg, keyword.value
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in _KEY_VALUE_METHODS
            and len(node.args) == 2
            and string_constant(node.args[0]) is not None
        ):
            yield node.args[0].value, node.args[1]
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if key is not None and string_constant(key) is not None:
                yield key.value, value
    elif isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        if isinstance(target, ast.Subscript) and string_constant(target.slice) is not None:
            yield target.slice.value, node.value


def _is_secret_literal(value: ast.AST) -> bool:
    """A string that can be a credential: four characters or more, no spaces (a prompt or a
    description is not a secret), and not a placeholder, variable name or mask."""
    text = string_constant(value)
    if text is None or len(text) < _MIN_SECRET_LENGTH or any(c.isspace() for c in text):
        return False
    return _NOT_A_SECRET.search(text) is None
