"""Execute the Dockerfile's own steps on this host, where no Docker engine runs.

Each stage's WORKDIR, ENV, COPY and RUN are carried out under a scratch root (absolute paths
in the image become <root>/<path>), then the image's CMD is started as an unprivileged user
with the production environment of .env.example, and the image's HEALTHCHECK must pass.

    python .ci/image_steps.py
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRATCH = Path(tempfile.mkdtemp(prefix="image-"))
MAPPED = ("/opt/venv", "/app", "/build")


def host_path(path: str) -> str:
    for prefix in MAPPED:
        path = re.sub(rf"(?<![\w/]){re.escape(prefix)}(?=/|\b|$)", str(SCRATCH) + prefix, path)
    return path


def instructions(dockerfile: Path):
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            yield keyword.upper(), rest.strip()


def env_pairs(rest: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in shlex.split(rest))


def copy_context(dest: Path) -> None:
    """COPY . . : the files git tracks, minus .dockerignore's patterns."""
    ignored = [p.strip() for p in (REPO / ".dockerignore").read_text().splitlines() if p.strip()]
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if any(Path(name).match(p) or name.startswith(p.rstrip("/") + "/") for p in ignored):
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)


def main() -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(SCRATCH)}
    stages: dict[str, dict] = {}
    workdir = SCRATCH
    cmd = healthcheck = None
    # The image's python:3.11 is readable by its unprivileged user; so must the stand-in be.
    python = "/usr/bin/python3.11" if Path("/usr/bin/python3.11").exists() else sys.executable
    for keyword, rest in instructions(REPO / "Dockerfile"):
        if keyword == "FROM":
            assert "python:3.11" in rest, f"unexpected base image {rest}"
            stage = rest.split(" AS ")[-1] if " AS " in rest else "final"
            stages[stage] = {"env": {}}
            env = {"PATH": os.environ["PATH"], "HOME": str(SCRATCH)}
            print(f"-- stage {stage}")
        elif keyword == "ENV":
            for key, value in env_pairs(rest).items():
                env[key] = host_path(value.replace("$PATH", env.get("PATH", "")))
        elif keyword == "WORKDIR":
            workdir = Path(host_path(rest))
            workdir.mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY":
            args = [a for a in shlex.split(rest) if not a.startswith("--chown")]
            if args[0].startswith("--from="):
                src, dest = Path(host_path(args[1])), Path(host_path(args[2]))
                assert src.exists(), src  # the build stage produced it under the same scratch root
                continue
            *sources, dest = args
            if sources == ["."]:
                copy_context(workdir if dest in (".", "./") else Path(host_path(dest)))
            else:
                for source in sources:
                    shutil.copy2(REPO / source, workdir / Path(source).name)
        elif keyword == "RUN":
            command = host_path(rest)
            if command.startswith("useradd"):
                print(f"   (user is simulated with 'nobody'): {rest}")
                continue
            command = command.replace("python -m venv", f"{python} -m venv")
            print(f"   RUN {command}", flush=True)
            subprocess.run(["bash", "-c", command], cwd=workdir, env=env, check=True)
        elif keyword == "CMD":
            cmd = shlex.split(rest.strip("[]").replace('", "', " ").replace('"', ""))
        elif keyword == "HEALTHCHECK":
            healthcheck = rest.split(" CMD ", 1)[1]
    assert cmd and healthcheck, "the Dockerfile needs CMD and HEALTHCHECK"

    production = {
        k: v
        for k, v in (
            line.split("=", 1)
            for line in (REPO / ".env.example").read_text().splitlines()
            if line and not line.startswith("#")
        )
    }
    production.update(
        {
            # Services of this host stand in for compose's db/redis/rabbitmq.
            "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5"),
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"),
            "GUNICORN_BIND": "127.0.0.1:18000",
            "WEB_CONCURRENCY": "2",
        }
    )
    run_env = {**production, **env}
    shutil.chown(SCRATCH, user="nobody") if os.geteuid() == 0 else None
    as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--init-groups"] if os.geteuid() == 0 else []
    print(f"-- CMD {' '.join(cmd)} (as {'nobody' if as_user else 'this user'}, production settings)", flush=True)
    server = subprocess.Popen(as_user + cmd, cwd=workdir, env=run_env)
    try:
        deadline = time.monotonic() + 60
        while True:
            check = subprocess.run(as_user + shlex.split(healthcheck), cwd=workdir, env=run_env, capture_output=True)
            if check.returncode == 0:
                break
            assert server.poll() is None, "the image's CMD exited"
            assert time.monotonic() < deadline, f"HEALTHCHECK never passed: {check.stderr.decode()}"
            time.sleep(1)
        print("-- HEALTHCHECK passes; static files:", flush=True)
        page = subprocess.run(
            [
                "curl",
                "-fsS",
                "-H",
                "Host: shop.example.et",
                "-H",
                "X-Forwarded-Proto: https",
                "http://127.0.0.1:18000/api/docs/",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        asset = re.search(r'src="(/static/[^"]+\.js)"', page).group(1)
        subprocess.run(
            [
                "curl",
                "-fsS",
                "-o",
                "/dev/null",
                "-H",
                "Host: shop.example.et",
                "-H",
                "X-Forwarded-Proto: https",
                f"http://127.0.0.1:18000{asset}",
            ],
            check=True,
        )
        print(f"   {asset} served by whitenoise from the collected files")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(SCRATCH, ignore_errors=True)
    print("image steps OK")


if __name__ == "__main__":
    main()
