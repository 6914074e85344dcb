extension DashboardPage {
    /// Sizes follow the viewport (rem grows with the width), so one layout fills a 1920×1080 wall
    /// screen and still fits a 1366×768 laptop; long lists scroll inside their panel.
    static let style = #"""
    <style>
    :root{--bg:#0d1b2a;--panel:#14263a;--line:#24405e;--text:#e8eef5;--muted:#8fa6bf;--met:#2fbf71;--ok:#2fbf71;
      --amber:#f0b429;--behind:#ef5350;--none:#6b7f95;--accent:#4aa3ff;--plan:#35597f}
    html{font-size:clamp(11px,0.86vw,18px)}
    *{box-sizing:border-box}
    body{margin:0;height:100vh;overflow:hidden;background:var(--bg);color:var(--text);
      font-family:"WenQuanYi Zen Hei","Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;display:flex;flex-direction:column}
    header{display:flex;align-items:center;gap:1rem;padding:.6rem 1.2rem;border-bottom:1px solid var(--line);flex:none}
    h1{font-size:1.6rem;margin:0;white-space:nowrap;letter-spacing:.05em}
    h2{font-size:1.05rem;margin:.2rem 0 .5rem;color:var(--muted);font-weight:normal}
    .spacer{flex:1}
    .muted{color:var(--muted)}
    .pill{display:inline-flex;align-items:center;gap:.4rem;padding:.2rem .7rem;border-radius:1rem;border:1px solid var(--line);white-space:nowrap}
    .pill i{width:.7rem;height:.7rem;border-radius:50%;background:var(--behind)}
    .pill.up i{background:var(--ok);box-shadow:0 0 .5rem var(--ok)}
    .pill.down{color:var(--amber)}
    button,.tools a{background:transparent;color:var(--text);border:1px solid var(--line);border-radius:.3rem;padding:.25rem .7rem;
      font:inherit;cursor:pointer;text-decoration:none}
    .tools{display:flex;gap:.3rem}
    main{flex:1;min-height:0;display:grid;gap:.8rem;padding:.8rem 1.2rem;
      grid-template-columns:minmax(0,44fr) minmax(0,31fr) minmax(0,25fr);grid-template-rows:auto minmax(0,1fr)}
    main[hidden]{display:none}
    .kpis{grid-column:1/-1;display:grid;grid-template-columns:1.3fr 1fr 1.2fr 1fr;gap:.8rem}
    .card,.panel{background:var(--panel);border:1px solid var(--line);border-radius:.5rem;padding:.7rem 1rem;min-width:0}
    .panel{display:flex;flex-direction:column;min-height:0}
    .scroll{overflow:auto;min-height:0;flex:1}
    .big{font-size:2.6rem;font-weight:bold;line-height:1.1}
    .label{color:var(--muted);font-size:.95rem}
    .row{display:grid;grid-template-columns:minmax(0,9rem) minmax(0,1fr) 4.2rem 3.6rem;align-items:center;gap:.5rem;padding:.15rem 0}
    .row.chart{grid-template-columns:minmax(0,8.5rem) minmax(0,1fr) minmax(0,max-content)}
    .row.chart .num{white-space:nowrap;font-size:.9rem}
    .row.dept{font-weight:bold;border-top:1px solid var(--line);padding-top:.4rem;margin-top:.2rem}
    .row.line .name{padding-left:1.2rem;color:#c9d6e3}
    .row .name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .row .num{text-align:right;font-variant-numeric:tabular-nums}
    .row .sub{grid-column:1/-1;color:var(--muted);font-size:.85rem;font-weight:normal;padding-left:.2rem}
    svg{display:block;width:100%}
    svg text{fill:var(--text);font-family:inherit}
    .met,.on_track{color:var(--ok)}.amber{color:var(--amber)}.behind{color:var(--behind)}
    .silent{color:var(--behind)}
    select{background:var(--panel);color:var(--text);border:1px solid var(--line);border-radius:.3rem;font:inherit;padding:.15rem .3rem}
    #ranking .row{grid-template-columns:2rem minmax(0,1fr) 4.2rem 4.6rem 3rem;font-size:.92rem}
    #ranking .red{color:var(--behind)}#ranking .black{color:#c9d6e3;font-weight:bold}
    #changes{list-style:none;margin:0;padding:0}
    #changes li{padding:.35rem .2rem;border-bottom:1px solid var(--line);font-size:.92rem;line-height:1.35}
    #changes li.fresh{animation:fresh 2.5s ease-out}
    @keyframes fresh{from{background:#2b5a86}to{background:transparent}}
    #changes .meta{color:var(--muted);font-size:.8rem}
    #login{position:fixed;inset:0;display:flex;align-items:center;justify-content:center;background:rgba(5,12,20,.85)}
    #login[hidden]{display:none}
    #login form{background:var(--panel);border:1px solid var(--line);border-radius:.6rem;padding:1.6rem 2rem;width:min(30rem,90vw)}
    #login input{width:100%;font:inherit;padding:.5rem;margin:.6rem 0;background:#0b1622;color:var(--text);border:1px solid var(--line);border-radius:.3rem}
    .error{color:var(--behind);min-height:1.2em}
    </style>

    """#
}
