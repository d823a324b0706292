"""Hearing what the Content-Security-Policy blocks in a browser context.

An init script, run at the start of every document the context opens, reports each
`securitypolicyviolation` event to the test through an exposed function, so violations
are heard on every page, popups included, whatever the page's own scripts do.
"""

import json

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(JSON.stringify({
    page: location.pathname + location.search,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  }));
});
"""


def record_csp_violations(context) -> list[dict]:
    """The list the context's violations are appended to, as they happen."""
    violations: list[dict] = []
    context.expose_function("reportCspViolation", lambda data: violations.append(json.loads(data)))
    context.add_init_script(script=LISTEN)
    return violations
