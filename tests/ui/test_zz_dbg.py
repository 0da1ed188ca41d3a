from tests.ui.test_language_switch import SIZE, app_for
from tests.ui.cut_check import screen_lines
from audit_tui import i18n

async def test_dbg(sqlite_ctx):
    app = app_for(sqlite_ctx)
    for size in ((140,24),(80,24),(100,30)):
      async with app_for(sqlite_ctx).run_test(size=size) as pilot:
        await pilot.pause()
        print(repr(screen_lines(pilot.app)[-1].rstrip()))
