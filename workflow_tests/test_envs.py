"""Conda environments: each parses, pins every package exactly, avoids `defaults`, and is used.

Bioconda cannot be reached from our machines, so the envs are checked statically here;
`--use-conda` users build them.
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

ENVS = sorted((ROOT / "envs").glob("*.yaml"))
PIN = re.compile(r"^[A-Za-z0-9_.\-]+ =\d[\w.]*$")
PIP_PIN = re.compile(r"^[A-Za-z0-9_.\-]+==\d[\w.]*$")


def rule_text() -> str:
    return "\n".join(p.read_text() for p in (ROOT / "rules").glob("*.smk"))


@pytest.mark.parametrize("env", ENVS, ids=lambda p: p.name)
def test_env_parses_and_pins_every_package(env):
    spec = yaml.safe_load(env.read_text())
    assert spec["channels"][:1] == ["conda-forge"] and "defaults" not in spec["channels"]
    assert "nodefaults" in spec["channels"]
    for dep in spec["dependencies"]:
        if isinstance(dep, dict):
            assert all(PIP_PIN.match(p) for p in dep["pip"]), dep
        else:
            assert PIN.match(dep), f"{env.name}: '{dep}' is not pinned as 'name =version'"


@pytest.mark.parametrize("env", ENVS, ids=lambda p: p.name)
def test_env_is_used_by_a_rule(env):
    # make_windows picks envs/bedtools.yaml or envs/python.yaml by its sequence engine.
    used = re.findall(r"envs/([a-z]+)\.yaml", rule_text()) + re.findall(r"'([a-z]+)' if uses_bedtools", rule_text())
    assert env.stem in used, f"no rule uses {env.name}"


def test_the_real_tools_have_envs():
    tools = {env.stem: yaml.safe_load(env.read_text())["dependencies"] for env in ENVS}
    assert any(str(d).startswith("meme ") for d in tools["meme"])
    assert any(str(d).startswith("homer ") for d in tools["homer"])
    assert any(str(d).startswith("bedtools ") for d in tools["bedtools"])
    assert any(str(d).startswith("pytorch-gpu ") for d in tools["pytorch"])


def test_every_rule_names_an_env_log_and_resources():
    text = rule_text()
    for block in re.split(r"\n(?=rule |use rule )", text):
        if block.startswith("rule ") and not block.startswith("rule all"):
            name = block.split()[1].rstrip(":")
            if name == "paper":
                continue  # the target rule: only inputs
            for directive in ("log:", "conda:", "resources:"):
                assert directive in block, f"rule {name} lacks {directive}"
