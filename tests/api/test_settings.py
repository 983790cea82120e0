from tests.test_settings import run_settings


def test_a_site_url_without_a_scheme_is_refused_at_start():
    result = run_settings(SITE_URL="www.example.cn")
    assert result.returncode != 0
    assert "SITE_URL must start with https://" in result.stderr


def test_a_site_url_with_a_scheme_starts():
    assert run_settings(SITE_URL="https://www.example.cn/").returncode == 0
