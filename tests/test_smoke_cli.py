from __future__ import annotations

from pcso_policy.cli import run


def test_rules_lists_parse_rules(capsys):
    assert run(["rules"]) == 0
    assert "parse/yaml-syntax" in capsys.readouterr().out
