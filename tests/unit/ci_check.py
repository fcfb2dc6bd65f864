#!/usr/bin/env python3
# What yamllint cannot see in ci/'s configurations: every job a `needs:`
# names exists and, for GitLab, every job's stage is in `stages:`.  Prints
# what is wrong and exits 1; used by tests/unit/test_ci.c.
import sys

import yaml


def github(doc):
    jobs = doc.get("jobs", {})
    for name, job in jobs.items():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            if need not in jobs:
                yield f"job {name} needs {need}, which is not a job"
        if "runs-on" not in job:
            yield f"job {name} has no runs-on"


def gitlab(doc):
    stages = doc.get("stages", [])
    jobs = {k: v for k, v in doc.items() if isinstance(v, dict) and "script" in v}
    for name, job in jobs.items():
        if "stage" in job and job["stage"] not in stages:
            yield f"job {name}: stage {job['stage']} is not in stages"
        for need in job.get("needs", []):
            if need not in jobs:
                yield f"job {name} needs {need}, which is not a job"
        for base in [job["extends"]] if isinstance(job.get("extends"), str) else job.get("extends", []):
            if base not in doc:
                yield f"job {name} extends {base}, which is not defined"


problems = []
for path in sys.argv[1:]:
    with open(path) as f:
        doc = yaml.safe_load(f)
    check = github if "jobs" in doc else gitlab
    problems += [f"{path}: {p}" for p in check(doc)]
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
