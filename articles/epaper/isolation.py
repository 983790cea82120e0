"""Page PDFs are read in a child process under a memory and a time cap.

A PDF is a program of sorts: a few hundred bytes can ask PDFium for a page
of 256 megapixels, a 300 KB file can inflate a content stream or an object
stream to gigabytes, a page can hold hundreds of thousands of text runs.
Whatever reads a page PDF that is not known to be harmless (inspecting it
for the upload form, drawing and locating it in its job, locating it again)
does so here: in a child process (`python -m articles.epaper.isolation`)
whose address space is capped (RLIMIT_AS, EPAPER_JOB_MEMORY_MB) and which is
stopped after EPAPER_JOB_SECONDS. A bomb then fails its job with a reason,
and the worker or web process that asked goes on. The child also removes
the PDF's active content (JavaScript, open and launch actions, embedded
files) with qpdf (pikepdf) before anything else reads it.

The child knows nothing of Django: the parent passes it the limits and the
copy to look for, in files of a temporary folder, and reads back the
pictures, the zones, or a refusal (a PagePDFError code and its figures).
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from articles.epaper.render import Limits, PagePDFError, Picture, RenderedPage

ROOT = Path(__file__).resolve().parents[2]
# Actions a PDF may keep: moving within itself, and web links.
SAFE_ACTIONS = {"/GoTo", "/URI", "/Named"}
# Opening and parsing a real page takes well under a second: a shorter leash
# than drawing's, as it runs while an editor waits for the form.
INSPECT_SECONDS = 8
# Below the web and task processes: readers' pages come first.
CHILD_NICENESS = 10
# Annotations that exist to carry files, media or scripts.
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}


@dataclass
class Outcome:
    """What the child made of a page PDF."""

    rendered: RenderedPage | None = None
    zones: dict[Any, dict] = field(default_factory=dict)
    # The PDF as kept, when active content was taken out of it (else None).
    cleaned: bytes | None = None
    removed: list[str] = field(default_factory=list)


# --- In the parent -----------------------------------------------------------


def inspect(data: bytes, limits: Limits) -> dict:
    """Check data as a page PDF without drawing it; raise PagePDFError saying why not.

    The document is opened and its page's contents parsed (and counted), so
    that the form that asks can already say what is wrong with most files;
    what only drawing finds out (a picture that inflates to gigabytes) fails
    the job.
    """
    return _run("inspect", data, limits, [], seconds=min(limits.seconds, INSPECT_SECONDS))["result"]


def process(
    data: bytes,
    copies: list,
    limits: Limits,
    on_progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Take out active content, draw the page and locate copies on it; PagePDFError if refused."""
    answer = _run("process", data, limits, copies, on_progress=on_progress)
    result, folder = answer["result"], answer["folder"]
    rendered = RenderedPage(width=result["width"], height=result["height"])
    for item in result["pictures"]:
        rendered.pictures.append(Picture(item["kind"], item["width"], item["height"], item["data"]))
    return Outcome(
        rendered=rendered,
        zones=_zones(result["zones"], copies),
        cleaned=folder.get("cleaned.pdf"),
        removed=result["removed"],
    )


def locate(data: bytes, copies: list, limits: Limits) -> dict:
    """Return {copy.key: Zone} for the copies found on the page PDF in data."""
    return _zones(_run("locate", data, limits, copies)["result"]["zones"], copies)


def _zones(found: list[dict], copies: list) -> dict:
    from articles.epaper.locate import Zone

    keys = {str(copy.key): copy.key for copy in copies}
    return {keys[item.pop("key")]: Zone(**item) for item in found}


def _run(
    operation: str,
    data: bytes,
    limits: Limits,
    copies: list,
    *,
    seconds: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> dict:
    seconds = seconds or limits.seconds
    with tempfile.TemporaryDirectory(prefix="newsroom-pdf-") as folder:
        work = Path(folder)
        (work / "input.pdf").write_bytes(data)
        request = {
            "operation": operation,
            "limits": limits.as_json(),
            "seconds": seconds,
            "copies": [
                {"key": str(c.key), "texts": list(c.texts), "has_picture": c.has_picture}
                for c in copies
            ],
        }
        (work / "request.json").write_text(json.dumps(request), encoding="utf-8")
        # A file, not a pipe: a child that writes many warnings never waits on us.
        errors = open(work / "stderr.txt", "wb")  # noqa: SIM115
        child = subprocess.Popen(
            [sys.executable, "-m", "articles.epaper.isolation", folder],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            # Few malloc arenas: each reserves address space, which the cap counts.
            env={**os.environ, "MALLOC_ARENA_MAX": "2"},
        )
        # The child stops itself after `seconds` (SIGALRM); this is in case it cannot.
        watchdog = threading.Timer(seconds + 5, child.kill)
        watchdog.start()
        try:
            assert child.stdout is not None  # stdout=PIPE
            for line in child.stdout:
                if line.startswith(b"progress ") and on_progress is not None:
                    on_progress(int(line.split()[1]))
            child.wait()
        finally:
            watchdog.cancel()
            if child.poll() is None:
                child.kill()
                child.wait()
            errors.close()
        stderr = (work / "stderr.txt").read_bytes()[-10_000:]
        answer_file = work / "answer.json"
        answer = (
            json.loads(answer_file.read_text(encoding="utf-8")) if answer_file.exists() else None
        )
        if answer is None:
            raise _stopped(child.returncode, seconds, limits, stderr)
        if "refused" in answer:
            raise PagePDFError(answer["refused"], **answer["params"])
        files = {p.name: p.read_bytes() for p in work.iterdir() if p.name.startswith("out-")}
        files = {name.removeprefix("out-"): content for name, content in files.items()}
        for item in answer["result"].get("pictures", []):
            item["data"] = files.pop(item.pop("file"))
        return {"result": answer["result"], "folder": files}


def _stopped(returncode: int, seconds: int, limits: Limits, stderr: bytes) -> PagePDFError:
    """The refusal for a child that stopped without answering."""
    if returncode in (-signal.SIGALRM, -signal.SIGXCPU, -signal.SIGKILL):
        return PagePDFError("time", seconds=seconds)
    # Past the address-space cap PDFium and qpdf abort (SIGABRT, or a
    # std::bad_alloc that ends the process), Python raises MemoryError.
    if returncode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS) or b"MemoryError" in stderr:
        return PagePDFError("memory", megabytes=limits.memory // (1024 * 1024))
    detail = signal.Signals(-returncode).name if returncode < 0 else f"exit status {returncode}"
    return PagePDFError("crashed", detail=detail)


# --- In the child ------------------------------------------------------------


def _cap(limits: Limits, seconds: int) -> None:
    """Cap this process: address space, processor time, wall time; die with the parent."""
    os.nice(CHILD_NICENESS)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds + 1, seconds + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.alarm(seconds)
    if sys.platform == "linux":
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def strip_active_content(data: bytes) -> tuple[bytes, list[str]]:
    """Return data without scripts, open and launch actions, forms and embedded files.

    What is taken out is named in the list (PDF names: /OpenAction,
    /JavaScript, /Launch …); data comes back unchanged when there was none.
    The page's contents are copied as they are (qpdf decodes no stream).
    """
    import pikepdf

    removed: set[str] = set()

    def drop(dictionary: Any, key: str, label: str | None = None) -> None:
        if key in dictionary:
            del dictionary[key]
            removed.add(label or key)

    def clean_action(holder: Any) -> None:
        """Drop holder's /A unless it is a plain move or link (and never a chain)."""
        action = holder.get("/A")
        if action is None:
            return
        kind = str(action.get("/S", "")) if isinstance(action, pikepdf.Dictionary) else ""
        if kind not in SAFE_ACTIONS:
            del holder["/A"]
            removed.add(kind or "/A")
        elif "/Next" in action:
            del action["/Next"]
            removed.add("/Next")

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as error:
        # qpdf names the file by its Python object ("stream <_io.BytesIO …>: …").
        message = str(error).splitlines()[0]
        if message.startswith("stream <"):
            message = message.partition(">: ")[2] or message
        raise PagePDFError("unreadable", error=message[:200]) from None
    with pdf:
        root = pdf.Root
        drop(root, "/OpenAction")
        drop(root, "/AA")
        drop(root, "/AcroForm")
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            drop(names, "/JavaScript")
            drop(names, "/EmbeddedFiles")
        outline = root.get("/Outlines")
        seen: set[tuple[int, int]] = set()
        item = outline.get("/First") if isinstance(outline, pikepdf.Dictionary) else None
        stack: list[pikepdf.Object | None] = [item] if item is not None else []
        while stack and len(seen) < 100_000:
            item = stack.pop()
            if not isinstance(item, pikepdf.Dictionary) or item.objgen in seen:
                continue
            if item.is_indirect:
                seen.add(item.objgen)
            clean_action(item)
            stack += [item.get(key) for key in ("/First", "/Next") if item.get(key) is not None]
        for page in pdf.pages:
            drop(page.obj, "/AA")
            annotations = page.obj.get("/Annots")
            if not isinstance(annotations, pikepdf.Array):
                continue
            kept = []
            for annotation in annotations:
                if not isinstance(annotation, pikepdf.Dictionary):
                    continue
                subtype = str(annotation.get("/Subtype", ""))
                if subtype in ACTIVE_ANNOTATIONS:
                    removed.add(subtype)
                    continue
                drop(annotation, "/AA")
                clean_action(annotation)
                kept.append(annotation)
            if len(kept) != len(annotations):
                page.obj["/Annots"] = pikepdf.Array(kept)
        if not removed:
            return data, []
        out = io.BytesIO()
        pdf.save(
            out,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            compress_streams=False,
            fix_metadata_version=False,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
        )
    return out.getvalue(), sorted(removed)


def _zone_list(zones: dict) -> list[dict]:
    return [
        {
            "key": key,
            "left": z.left,
            "top": z.top,
            "width": z.width,
            "height": z.height,
            "score": z.score,
        }
        for key, z in zones.items()
    ]


def _child(folder: Path) -> dict:
    from articles.epaper.locate import Copy, locate_page
    from articles.epaper.render import draw, load_document, load_page

    request = json.loads((folder / "request.json").read_text(encoding="utf-8"))
    limits = Limits(**{**request["limits"], "widths": tuple(request["limits"]["widths"])})
    _cap(limits, request["seconds"])
    data = (folder / "input.pdf").read_bytes()
    copies = [Copy(**copy) for copy in request["copies"]]
    operation = request["operation"]

    def progress(percent: int) -> None:
        print(f"progress {percent}", flush=True)

    removed: list[str] = []
    if operation in ("process", "inspect"):
        if len(data) > limits.max_bytes:
            raise PagePDFError("too_large", size=limits.max_bytes // (1024 * 1024))
        if not data.lstrip()[:5] == b"%PDF-":
            raise PagePDFError("not_pdf")
    if operation == "process":
        cleaned, removed = strip_active_content(data)
        if removed:
            (folder / "out-cleaned.pdf").write_bytes(cleaned)
            data = cleaned
        progress(15)
    document, inspection = load_document(data, limits)
    page = load_page(document, limits)
    if operation == "inspect":
        # What the job will take out is said on the form, before it runs.
        _cleaned, removed = strip_active_content(data)
        return {
            "width": inspection.width,
            "height": inspection.height,
            "pixels": list(inspection.pixels),
            "removed": removed,
        }
    result: dict[str, Any] = {"removed": removed}
    if operation == "process":
        progress(30)
        rendered = draw(page, limits)
        result.update(width=rendered.width, height=rendered.height, pictures=[])
        for number, picture in enumerate(rendered.pictures):
            name = f"picture-{number}"
            (folder / f"out-{name}").write_bytes(picture.data)
            result["pictures"].append(
                {
                    "kind": picture.kind,
                    "width": picture.width,
                    "height": picture.height,
                    "file": name,
                }
            )
        progress(70)
    result["zones"] = _zone_list(locate_page(page, copies, max_chars=limits.max_chars))
    progress(90)
    return result


def main(folder: Path) -> None:
    answer_file = folder / "answer.json"
    answer: dict[str, Any]
    try:
        answer = {"result": _child(folder)}
    except PagePDFError as refused:
        answer = {"refused": refused.code, "params": refused.params}
    except MemoryError:
        request = json.loads((folder / "request.json").read_text(encoding="utf-8"))
        megabytes = request["limits"]["memory"] // (1024 * 1024)
        answer = {"refused": "memory", "params": {"megabytes": megabytes}}
    answer_file.write_text(json.dumps(answer), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
