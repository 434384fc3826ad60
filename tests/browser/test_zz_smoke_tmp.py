def test_smoke(page, browser_errors):
    page.context.on("request", lambda r: print("REQ", r.url))
    page.on("console", lambda m: print("CONSOLE", m.type, m.text, m.location))
    page.goto("/")
    page.wait_for_timeout(300)
    browser_errors.messages.clear()
