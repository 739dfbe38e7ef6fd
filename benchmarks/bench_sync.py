"""Sync speed on the synthetic vault, into an AnkiConnect server over a fresh collection.

    python benchmarks/make_vault.py benchmarks/vault
    python -m pytest tests/sync -q        # installs the test server into .cache/ (once)
    python benchmarks/bench_sync.py benchmarks/vault [--url http://127.0.0.1:8765]

Without --url it starts the test server (``.cache/ankiconnect-venv``) on a free port with a
fresh collection; with --url it syncs into that Anki (a deck named "Bench" is created there).
Each step runs ``quizgen sync`` in a fresh interpreter, as a user's command would:
1. cold: every note added (empty collection, no caches);
2. after editing one note (caches warm): that note's cards updated;
3. nothing changed;
and, for the ratio, the .apkg export of the same deck, cold and after the same edit, and the
time Anki takes to import that package: the AnkiConnect add-on adds new notes that way (the
test server cannot: its importPackage is broken, so there every note goes through addNotes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / ".cache" / "ankiconnect-venv" / "bin" / "anki-connect-server"


def timed(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", "from quizgen.cli import main; main()", *args],
                         capture_output=True, text=True)
    wall = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise SystemExit(f"quizgen {' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return wall, out.stderr.strip().splitlines()[-1]


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    if not SERVER.is_file():
        raise SystemExit(f"{SERVER} is missing: run `python -m pytest tests/sync` once, or "
                         "pass --url of a running Anki")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ANKICONNECT_PORT": str(port),
           "ANKICONNECT_COLLECTION_PATH": str(folder / "collection.anki2")}
    proc = subprocess.Popen([str(SERVER), "api"], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    sys.path.insert(0, str(REPO))
    from quizgen.sync.client import Client, SyncError

    for _ in range(300):
        try:
            Client(url, timeout=5).invoke("version")
            return proc, url
        except SyncError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the AnkiConnect server did not start")


def edit(notes: Path, n: int) -> None:
    """Reword one legend entry of the first note: one card changes. (Its title is on no card,
    and the vault defines each term in several notes, so a definition's text may be another
    note's.)"""
    first = sorted(notes.glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    assert "表示类别数" in text
    first.write_text(text.replace("表示类别数", f"表示类别数（{n}）", 1), encoding="utf-8")


IMPORT = """
import sys, time
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
col = Collection(sys.argv[2])
t0 = time.perf_counter()
# The options AnkiConnect's importPackage uses (anki.importing's legacy importer).
col.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[1],
    options=ImportAnkiPackageOptions(merge_notetypes=True, with_scheduling=True,
                                     with_deck_configs=True)))
print(f"{time.perf_counter() - t0:.2f}")
col.close()
"""


def import_seconds(apkg: Path, collection: Path) -> float:
    out = subprocess.run([sys.executable, "-c", IMPORT, str(apkg), str(collection)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("vault", nargs="?", default="benchmarks/vault")
    ap.add_argument("--url")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="quizgen-bench-sync-"))
    proc = None
    try:
        shutil.copytree(Path(args.vault).resolve(), work / "notes")
        for name in ("sync", "apkg"):
            (work / name).mkdir()
            (work / name / "deck.yaml").write_text(
                'name: "Bench"\nnotes: ["../notes/*.md"]\nseed: 1\noutput: out\n'
                "cards: {variants_per_concept: 3}\nformats: [apkg]\n", encoding="utf-8")
        url = args.url
        if url is None:
            (work / "anki").mkdir()
            proc, url = start_server(work / "anki")
        spec = str(work / "sync" / "deck.yaml")
        cold, cold_line = timed("sync", spec, "--url", url)
        edit(work / "notes", 1)
        one, one_line = timed("sync", spec, "--url", url)
        same, same_line = timed("sync", spec, "--url", url)
        apkg = str(work / "apkg" / "deck.yaml")
        edit(work / "notes", 2)
        export_cold, _ = timed("export", apkg)
        edit(work / "notes", 3)
        export_one, _ = timed("export", apkg)
        imported = import_seconds(work / "apkg" / "out" / "deck.apkg", work / "import.anki2")
        print(f"cold sync:          {cold:.2f} s wall  ({cold_line})")
        print(f"after one edit:     {one:.2f} s wall  ({one_line})")
        print(f"nothing changed:    {same:.2f} s wall  ({same_line})")
        print(f".apkg export, cold: {export_cold:.2f} s; after one edit: {export_one:.2f} s; "
              f"sync / export = {cold / export_cold:.1f}x cold, {one / export_one:.1f}x one edit")
        print(f"Anki importing that .apkg (what AnkiConnect's importPackage does with the "
              f"package a sync hands it): {imported:.2f} s")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
