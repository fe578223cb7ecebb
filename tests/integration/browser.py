"""Headless Chromium for the integration tests: Debian's `chromium`, driven
through its `chromedriver` by selenium; axe-core's accessibility check run
inside a page; screenshots kept as test artifacts.

axe-core comes from tools/node (scripts/install-node-tools installs it from
the lock file). Screenshots go to $LEADGATE_TEST_ARTIFACTS (under ctest,
tests/integration/test-artifacts/ of the build directory, e.g.
build/tests/integration/test-artifacts/), else to build/test-artifacts/ of
the repository."""

import base64
import os

from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService

from harness import ROOT, missing_prerequisite

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE = os.path.join(ROOT, "tools", "node", "node_modules", "axe-core", "axe.min.js")

# This machine's network is closed: keep Chromium from calling home.
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def require_chromium(test):
    """Skips `test` (or fails it in CI) when Chromium or its driver is missing."""
    for program in (CHROMIUM, CHROMEDRIVER):
        if not os.access(program, os.X_OK):
            missing_prerequisite(test, f"{program} is not installed (Debian's chromium and chromium-driver)")


def require_axe(test):
    if not os.path.exists(AXE):
        missing_prerequisite(test, f"{AXE} is missing: run scripts/install-node-tools")


def chromium(scripts=True, width=1280, height=900, timezone=None, download_directory=None):
    """A new headless Chromium. `scripts=False`: JavaScript off for every
    page of its tab, as for a visitor who blocks it; `timezone` ("America/New_York"): the
    zone the pages' Date and Intl see; `download_directory`: where downloads
    go, without asking. The caller quits it."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if download_directory:
        options.add_experimental_option("prefs", {"download.default_directory": download_directory,
                                                  "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=ChromeService(CHROMEDRIVER), options=options)
    driver.scripts = scripts
    try:
        if not scripts:
            # Through DevTools rather than the content setting
            # (profile.managed_default_content_settings.javascript), so that
            # axe_violations can switch them on for its own run: with them
            # off, its timers never fire. Holds for this tab across
            # navigations; <noscript> content is shown.
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        if download_directory:
            driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_directory})
        if timezone:
            # Holds for this tab across navigations.
            driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": timezone})
        set_viewport(driver, width, height)
    except Exception:
        driver.quit()
        raise
    return driver


def set_viewport(driver, width, height, mobile=False):
    """The page's viewport, exactly `width` × `height` CSS pixels (a window
    size alone is not: the browser may keep a minimum). `mobile`: as a
    phone, which honours <meta name="viewport">."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def axe_violations(driver, rules=None):
    """axe-core's violations on the page now shown, as a list of
    {"id", "impact", "help", "targets"} (targets: the CSS selectors of the
    offending nodes). `rules`: only these rules, e.g. ["color-contrast"];
    by default axe.run's own set (WCAG 2.x A and AA, and best practices).

    The script is evaluated through WebDriver, which the page's
    Content-Security-Policy does not govern. In a browser with scripts off,
    they are switched on for the check alone: the page's own scripts, never
    run, stay unrun, and the page is checked as a visitor without scripts
    sees it."""
    if not driver.scripts:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    try:
        return _run_axe(driver, rules)
    finally:
        if not driver.scripts:
            driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})


def _run_axe(driver, rules):
    with open(AXE, encoding="utf-8") as handle:
        source = handle.read()
    driver.execute_script(source)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, arguments[0])
          .then(result => done({violations: result.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.map(node => node.target.join(" "))}))}))
          .catch(error => done({error: String(error)}));
        """, options)
    if "error" in result:
        raise AssertionError("axe.run failed: " + result["error"])
    return result["violations"]


def describe_violations(violations):
    """A readable failure message: one line per rule and offending node."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines)


def artifacts_directory():
    directory = os.environ.get("LEADGATE_TEST_ARTIFACTS") or os.path.join(ROOT, "build", "test-artifacts")
    os.makedirs(directory, exist_ok=True)
    return directory


def keep_evidence(driver, name):
    """The page now shown, for a failed test: `name`.png (the viewport),
    `name`.html and `name`.console.txt (what the page's scripts logged,
    errors included) in the artifacts directory. Best effort: a browser that
    has gone away leaves what it could."""
    base = os.path.join(artifacts_directory(), name)
    try:
        driver.save_screenshot(base + ".png")
        with open(base + ".html", "w", encoding="utf-8") as handle:
            handle.write(f"<!-- {driver.current_url} -->\n" + driver.page_source)
        with open(base + ".console.txt", "w", encoding="utf-8") as handle:
            for entry in driver.get_log("browser"):
                handle.write(f"{entry['level']} {entry['message']}\n")
    except Exception:  # noqa: BLE001 - evidence of a failure must not hide it
        pass


def screenshot(driver, name):
    """A PNG of the whole page (not only the viewport) at the current
    viewport width, written to the artifacts directory as `name`.png; its
    path."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    path = os.path.join(artifacts_directory(), name + ".png")
    with open(path, "wb") as handle:
        handle.write(base64.b64decode(shot["data"]))
    return path
