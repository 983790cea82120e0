"""The checkers are wired up: each reports a known problem, so their silence means something."""

from .checkers import Accessibility, run_vnu


def test_axe_reports_a_picture_without_alt_text(open_browser, artifacts):
    page = open_browser()
    page.set_content(
        '<!DOCTYPE html><html lang="zh-Hans"><head><title>测试</title></head>'
        '<body><main><h1>测试</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "</main></body></html>"
    )
    findings = Accessibility(artifacts)
    findings.check(page, "checker-image-alt")
    assert any("image-alt (critical)" in problem for problem in findings.problems)


def test_vnu_reports_an_element_left_open(artifacts):
    bad = artifacts / "checker-bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>测试</title>'
        "</head><body><main><p><div>错</p></main></body></html>",
        encoding="utf-8",
    )
    good = artifacts / "checker-good.html"
    good.write_text(
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>测试</title>'
        "</head><body><main><p>对</p></main></body></html>",
        encoding="utf-8",
    )
    errors = run_vnu([bad, good])
    assert errors
    assert {m["url"].rsplit("/", 1)[-1] for m in errors} == {"checker-bad.html"}
