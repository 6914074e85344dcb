/// The live dashboard (大屏): one self-contained page, no CDN, no external font, charts drawn as
/// inline SVG by its own small script. Chinese by default with an English switch; laid out for a
/// 1920×1080 wall screen and a 1366×768 laptop. It logs in through `/login`, follows `/events`, and
/// shows whether it is live or reconnecting. `/?campaign=2024` shows that campaign (a selector lists
/// them, from `/campaigns`); without it, the server's default.
enum DashboardPage {
    static let html = head + style + body + "<script>\n" + script + "\n</script>\n</body>\n</html>\n"

    private static let head = #"""
    <!DOCTYPE html>
    <html lang="zh-CN">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>创新突破年 · 进度大屏</title>

    """#

    private static let body = #"""
    </head>
    <body>
    <header>
      <h1 id="title" data-t="title">创新突破年 · 进度大屏</h1>
      <div id="asof" class="muted"></div>
      <div class="spacer"></div>
      <label id="campaign-pick" class="muted" hidden><span data-t="campaign">年度</span> <select id="campaign"></select></label>
      <span id="live" class="pill down" data-state="connecting"><i></i><b data-t="connecting">连接中</b></span>
      <nav id="exports" class="tools" hidden>
        <a id="export-csv" href="/export.csv">CSV</a><a id="export-json" href="/export.json">JSON</a><a id="export-html" href="/export.html">HTML</a>
      </nav>
      <button id="lang" type="button" title="中文 / English">EN</button>
      <button id="logout" type="button" data-t="logout" hidden>退出</button>
    </header>
    <main id="board" hidden>
      <section class="kpis">
        <div class="card" id="kpi-overall"></div>
        <div class="card" id="kpi-targets"></div>
        <div class="card" id="kpi-investment"></div>
        <div class="card" id="kpi-silent"></div>
      </section>
      <section class="panel departments">
        <h2 data-t="departments">部门与条线完成度</h2>
        <div class="scroll" id="departments"></div>
      </section>
      <section class="panel projects">
        <h2 data-t="stages">项目阶段</h2>
        <div id="stages"></div>
        <h2 data-t="batches">批次投资（计划 / 完成）</h2>
        <div class="scroll" id="batches"></div>
      </section>
      <section class="panel changes">
        <h2 data-t="ranking">红黑榜</h2>
        <div id="ranking"></div>
        <h2 data-t="changes">最新动态</h2>
        <ol class="scroll" id="changes"></ol>
      </section>
    </main>
    <div id="login" hidden>
      <form id="login-form">
        <h2 data-t="loginTitle">登录进度大屏</h2>
        <p class="muted" data-t="loginHint">请输入新区（central）或管理员（admin）令牌，只需一次。</p>
        <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" placeholder="tly_…">
        <button id="login-button" type="submit" data-t="login">登录</button>
        <p id="login-error" class="error" role="alert"></p>
      </form>
    </div>

    """#
}
