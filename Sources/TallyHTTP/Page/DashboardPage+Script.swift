extension DashboardPage {
    /// The page's own script: login, the event stream with its live/reconnecting state, folding of
    /// change events into the snapshot (as the terminal dashboard does), and the SVG charts.
    static let script = #"""
    "use strict";
    const T = {
      zh: {title:"创新突破年 · 进度大屏", connecting:"连接中", live:"实时", reconnecting:"重新连接中…", logout:"退出",
        campaign:"年度", ranking:"红黑榜", red:"红榜", black:"黑榜", onTime:(a,b)=>`按时 ${a}/${b}`, ended:"已结束",
        departments:"部门与条线完成度", stages:"项目阶段", batches:"批次投资（计划 / 完成）", changes:"最新动态",
        loginTitle:"登录进度大屏", loginHint:"请输入新区（central）或管理员（admin）令牌，只需一次。", login:"登录",
        overall:"全区总体完成度", elapsed:"时间进度", targets:"指标状态", met:"已完成", on_track:"正常", amber:"预警", behind:"滞后",
        investment:"项目投资", projects:n=>`项目 ${n} 个（跨部门项目只计一次）`, planned:"计划", completed:"完成",
        silent:"本期未上报", allReported:"各部门均已上报", warnings:n=>`预警 ${n} 条`, noWarnings:"无预警",
        kinds:{WARNING_KIND_NO_REPORT:"逾期未报",WARNING_KIND_RED_RUNNING:"连续红灯",WARNING_KIND_STAGE_STALLED:"项目停滞",WARNING_KIND_REQUEST_OVERDUE:"调度逾期"}, asOf:(d,s)=>`截至 ${d} · 序号 #${s}`, period:p=>`本期 ${p}`,
        members:(m,a)=>`${m} 个项目，${a} 个达节点`, count:n=>`${n} 个`, lastReport:"最近上报", never:"尚未上报",
        emptyToken:"请输入令牌", stage:{PLANNED:"计划",SIGNED:"签约",LAND_ACQUIRED:"拿地",UNDER_CONSTRUCTION:"在建",COMPLETED:"竣工",IN_PRODUCTION:"投产运营"},
        field:{current_figure:"当前值",stage:"阶段",investment_completed:"完成投资",percent:"进度"}},
      en: {title:"Innovation Breakthrough Year · live board", connecting:"connecting", live:"live", reconnecting:"reconnecting…", logout:"Log out",
        campaign:"Campaign", ranking:"Ranking", red:"red list", black:"black list", onTime:(a,b)=>`on time ${a}/${b}`, ended:"ended",
        departments:"Completion by department and line", stages:"Projects by stage", batches:"Batches: planned / invested", changes:"Latest changes",
        loginTitle:"Log in to the live board", loginHint:"Enter a central or admin token, once.", login:"Log in",
        overall:"Overall completion", elapsed:"time elapsed", targets:"Targets", met:"met", on_track:"on track", amber:"amber", behind:"behind",
        investment:"Project investment", projects:n=>`${n} projects (shared ones counted once)`, planned:"planned", completed:"invested",
        silent:"Not reported this period", allReported:"Every department has reported", warnings:n=>`${n} warning(s)`, noWarnings:"no warnings",
        kinds:{WARNING_KIND_NO_REPORT:"no report",WARNING_KIND_RED_RUNNING:"red periods running",WARNING_KIND_STAGE_STALLED:"project stalled",WARNING_KIND_REQUEST_OVERDUE:"request overdue"}, asOf:(d,s)=>`as of ${d} · sequence #${s}`, period:p=>`period ${p}`,
        members:(m,a)=>`${m} projects, ${a} at milestone`, count:n=>`${n}`, lastReport:"last report", never:"none yet",
        emptyToken:"Enter a token", stage:{PLANNED:"planned",SIGNED:"signed",LAND_ACQUIRED:"land acquired",UNDER_CONSTRUCTION:"under construction",COMPLETED:"completed",IN_PRODUCTION:"in production"},
        field:{current_figure:"figure",stage:"stage",investment_completed:"investment",percent:"progress"}}
    };
    T.zh.sessionEnded = "会话已结束（已退出、已过期、令牌被吊销或服务器重启），请重新登录。";
    T.en.sessionEnded = "The session has ended (logged out, expired, token revoked or server restarted): log in again.";
    const STANDING = {MET:"met", ON_TRACK:"on_track", AMBER:"amber", BEHIND:"behind"};
    const COLOR = {met:"var(--met)", on_track:"var(--ok)", amber:"var(--amber)", behind:"var(--behind)", none:"var(--none)"};
    let lang = localStorage.getItem("tally.lang") === "en" ? "en" : "zh";
    let dash = null, recent = [], lastId = 0, source = null, refreshTimer = null, retryTimer = null;
    // The campaign shown: `?campaign=` (empty: the server's default); every request names it.
    const campaign = new URLSearchParams(location.search).get("campaign") || "";
    const withCampaign = (path, extra) => {
      const q = new URLSearchParams(extra || {});
      if (campaign) q.set("campaign", campaign);
      const text = q.toString();
      return text ? `${path}?${text}` : path;
    };
    const $ = id => document.getElementById(id);
    const t = key => T[lang][key];
    const esc = s => String(s == null ? "" : s).replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
    const num = s => { const v = Number(s); return isFinite(v) ? v : 0; };
    const trim = (v, d) => { const s = v.toFixed(d); return s.indexOf(".") < 0 ? s : s.replace(/\.?0+$/, ""); };
    const pct = s => trim(num(s), 1) + "%";
    const standing = s => STANDING[s] || "none";
    const standingLabel = s => standing(s) === "none" ? "-" : t(standing(s));
    function money(yi) {
      const v = num(yi), m = Math.abs(v);
      if (lang === "zh") return (m >= 1 || v === 0) ? trim(v, 2) + "亿元" : trim(v * 10000, 2) + "万元";
      return m >= 10 ? "CNY " + trim(v / 10, 2) + " billion" : "CNY " + trim(v * 100, 2) + " million";
    }
    function cstDate(ms) {
      const d = new Date(num(ms) + 8 * 3600 * 1000), y = d.getUTCFullYear(), mo = d.getUTCMonth() + 1, da = d.getUTCDate();
      return lang === "zh" ? `${y}年${mo}月${da}日` : `${y}-${String(mo).padStart(2, "0")}-${String(da).padStart(2, "0")}`;
    }
    function cstTime(ms) {
      if (!num(ms)) return t("never");
      const d = new Date(num(ms) + 8 * 3600 * 1000);
      return `${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
    }

    // --- SVG pieces, drawn here: no chart library ---
    function bar(percent, standingName, elapsed, height) {
      const h = height || 14, w = Math.max(0, Math.min(100, num(percent)));
      let svg = `<svg viewBox="0 0 100 ${h}" preserveAspectRatio="none" height="${h}" role="img" aria-label="${esc(pct(percent))}">`
        + `<rect x="0" y="0" width="100" height="${h}" fill="#0b1622"/>`
        + `<rect x="0" y="0" width="${w}" height="${h}" fill="${COLOR[standingName] || COLOR.none}"/>`;
      if (elapsed != null) {
        const x = Math.max(0, Math.min(100, num(elapsed)));
        svg += `<line x1="${x}" y1="0" x2="${x}" y2="${h}" stroke="#fff" stroke-width="0.6" stroke-dasharray="2 1.5" vector-effect="non-scaling-stroke"/>`;
      }
      return svg + "</svg>";
    }
    function ring(percent, elapsed, standingName) {
      const r = 40, c = 2 * Math.PI * r, p = Math.max(0, Math.min(100, num(percent))), e = Math.max(0, Math.min(100, num(elapsed)));
      return `<svg viewBox="0 0 100 100" style="width:6.5rem;height:6.5rem;flex:none">`
        + `<circle cx="50" cy="50" r="${r}" fill="none" stroke="#0b1622" stroke-width="11"/>`
        + `<circle cx="50" cy="50" r="${r}" fill="none" stroke="${COLOR[standingName]}" stroke-width="11" stroke-dasharray="${c * p / 100} ${c}" transform="rotate(-90 50 50)"/>`
        + `<circle cx="50" cy="50" r="${r - 9}" fill="none" stroke="#8fa6bf" stroke-width="3" stroke-dasharray="${2 * Math.PI * (r - 9) * e / 100} ${c}" transform="rotate(-90 50 50)"/>`
        + `<text x="50" y="56" text-anchor="middle" font-size="17" font-weight="bold">${esc(pct(percent))}</text></svg>`;
    }
    function hbars(rows, max) {
      // rows: {label, values:[{v, color}], text}: HTML rows (text never clipped by the chart), SVG bars
      // in proportion to max.
      const scale = max > 0 ? max : 1;
      return rows.map(row => {
        const each = 14 / row.values.length;
        let svg = `<svg viewBox="0 0 100 14" preserveAspectRatio="none" height="14">`;
        row.values.forEach((value, j) => {
          const w = Math.max(0, Math.min(1, num(value.v) / scale)) * 100;
          svg += `<rect x="0" y="${j * each}" width="${w.toFixed(2)}" height="${each - 1}" fill="${value.color}"/>`;
        });
        return `<div class="row chart"><span class="name" title="${esc(row.label)}">${esc(row.label)}</span>${svg}</svg><span class="num">${esc(row.text)}</span></div>`;
      }).join("");
    }

    // --- rendering ---
    function render() {
      document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
      document.title = t("title");
      document.querySelectorAll("[data-t]").forEach(el => { el.textContent = t(el.dataset.t); });
      $("lang").textContent = lang === "zh" ? "EN" : "中文";
      ["csv", "json", "html"].forEach(f => { $("export-" + f).href = withCampaign(`/export.${f}`, {lang}); });
      setLive($("live").dataset.state);
      if (!dash) return;
      const d = dash, o = d.overall || {}, s = standing(o.standing);
      $("asof").textContent = (d.campaign ? d.campaign + (d.finished ? ` (${t("ended")})` : "") + " · " : "")
        + t("asOf")(cstDate(d.asOfUnixMs), d.sequence || 0) + " · " + t("period")(d.period || "");
      $("kpi-overall").innerHTML = `<div style="display:flex;gap:1rem;align-items:center">${ring(o.completionPercent, d.elapsedPercent, s)}`
        + `<div><div class="label">${esc(t("overall"))}</div><div class="big ${s}" id="overall-percent">${esc(pct(o.completionPercent))}</div>`
        + `<div class="label">${esc(t("elapsed"))} ${esc(pct(d.elapsedPercent))} · <span class="${s}">${esc(standingLabel(o.standing))}</span></div></div></div>`;
      const total = o.total || 0, parts = ["met", "on_track", "amber", "behind"], counts = {met:o.met||0, on_track:o.onTrack||0, amber:o.amber||0, behind:o.behind||0};
      let x = 0, stack = `<svg viewBox="0 0 100 10" preserveAspectRatio="none" height="16" style="margin:.5rem 0">`;
      parts.forEach(p => { const w = total ? counts[p] * 100 / total : 0; stack += `<rect x="${x}" y="0" width="${w}" height="10" fill="${COLOR[p]}"/>`; x += w; });
      stack += "</svg>";
      $("kpi-targets").innerHTML = `<div class="label">${esc(t("targets"))} · ${total}</div>${stack}`
        + `<div style="display:grid;grid-template-columns:1fr 1fr;gap:.2rem .8rem">` + parts.map(p => `<div><span class="${p}">■</span> ${esc(t(p))} <b>${counts[p]}</b></div>`).join("") + `</div>`;
      const planned = num(d.plannedInvestment), done = num(d.investmentCompleted);
      $("kpi-investment").innerHTML = `<div class="label">${esc(t("investment"))}</div>`
        + `<div class="big" id="investment-completed" style="font-size:2rem">${esc(money(d.investmentCompleted))}</div>`
        + `<div class="label">${esc(t("planned"))} ${esc(money(d.plannedInvestment))} · ${esc(t("projects")(d.projectCount || 0))}</div>`
        + bar(planned > 0 ? done * 100 / planned : 0, "on_track", null, 10);
      const names = {};
      (d.departments || []).forEach(x => { names[x.department.code] = x.department.name; });
      const silent = (d.notReported || []).map(c => names[c] || c);
      $("kpi-silent").innerHTML = `<div class="label">${esc(t("silent"))}</div>`
        + (silent.length ? `<div id="not-reported" class="silent" style="font-size:1.4rem;margin-top:.4rem">${silent.map(esc).join("、")}</div>`
                         : `<div id="not-reported" class="met" style="font-size:1.2rem;margin-top:.4rem">${esc(t("allReported"))}</div>`)
        + warningsLine(d.warnings || [], names);
      let rows = "";
      (d.departments || []).forEach(dep => {
        const p = dep.progress || {}, ds = standing(p.standing);
        rows += `<div class="row dept" data-code="${esc(dep.department.code)}"><span class="name">${esc(dep.department.name)}</span>${bar(p.completionPercent, ds, d.elapsedPercent)}`
          + `<span class="num">${esc(pct(p.completionPercent))}</span><span class="${ds}">${esc(standingLabel(p.standing))}</span>`
          + `<span class="sub">${esc(money(dep.investmentCompleted))} · ${esc(t("lastReport"))} ${esc(cstTime(dep.lastReportUnixMs))}${dep.reportedThisPeriod ? "" : ` · <span class="silent">${esc(t("silent"))}</span>`}</span></div>`;
        (dep.lines || []).forEach(line => {
          const lp = line.progress || {}, ls = standing(lp.standing);
          rows += `<div class="row line"><span class="name" title="${esc(line.line.name)}">${esc(line.line.name)}</span>${bar(lp.completionPercent, ls, d.elapsedPercent, 10)}`
            + `<span class="num">${esc(pct(lp.completionPercent))}</span><span class="${ls}">${esc(standingLabel(lp.standing))}</span></div>`;
        });
      });
      $("departments").innerHTML = rows;
      const stages = (d.stages || []).filter(x => x.stage && x.stage !== "STAGE_UNSPECIFIED");
      const most = Math.max(1, ...stages.map(x => x.projects || 0));
      $("stages").innerHTML = hbars(stages.map(x => ({label: t("stage")[x.stage] || x.stage, values: [{v: x.projects || 0, color: "var(--accent)"}],
        text: `${t("count")(x.projects || 0)} · ${money(x.investmentCompleted)}`})), most);
      const batches = (d.batches || []).slice().sort((a, b) => num(b.batch.plannedInvestment) - num(a.batch.plannedInvestment));
      const top = Math.max(1, ...batches.map(b => Math.max(num(b.batch.plannedInvestment), num(b.investmentCompleted))));
      $("batches").innerHTML = hbars(batches.map(b => ({label: b.batch.name,
        values: [{v: b.batch.plannedInvestment, color: "var(--plan)"}, {v: b.investmentCompleted, color: "var(--ok)"}],
        text: `${b.batch.plannedInvestment ? (b.batch.investmentQualifier || "") + money(b.batch.plannedInvestment) : "-"} / ${money(b.investmentCompleted)}`})), top);
      $("ranking").innerHTML = rankingRows(d.ranking || {}, names);
      renderChanges(false);
    }
    // The ranking (红黑榜) of the period shown, as `tally rank` prints it.
    function rankingRows(ranking, names) {
      return (ranking.rows || []).map(r => {
        const board = r.board === "BOARD_RED" ? "red" : (r.board === "BOARD_BLACK" ? "black" : "");
        const pace = num(r.pacePoints);
        return `<div class="row" data-department="${esc(r.department)}"><span class="num">${esc(r.rank)}</span>`
          + `<span class="name ${board}">${esc(names[r.department] || r.department)}${board ? " · " + esc(t(board)) : ""}</span>`
          + `<span class="num">${esc(pct(r.completionPercent))}</span><span class="num ${pace < 0 ? "behind" : "met"}">${pace > 0 ? "+" : ""}${esc(trim(pace, 1))}</span>`
          + `<span class="num" title="${esc(t("onTime")(r.reportsOnTime || 0, r.reportsDue || 0))}">${r.reportsOnTime || 0}/${r.reportsDue || 0}</span></div>`;
      }).join("");
    }
    function changeText(e) {
      const c = e.change || {}, names = {};
      (dash && dash.departments || []).forEach(x => { names[x.department.code] = x.department.name; });
      const subject = e.target ? e.target.target.name : (e.project ? e.project.name : c.subjectId);
      const field = t("field")[c.field] || c.field;
      const s = e.target ? standing(e.target.standing) : null;
      return `<div><b>${esc(names[c.department] || c.department || "")}</b> ${esc(subject)} · ${esc(field)} ${esc(c.oldValue || "-")} → <b>${esc(c.newValue)}</b>`
        + (s && s !== "none" ? ` <span class="${s}">${esc(t(s))}</span>` : "") + `</div>`
        + `<div class="meta">#${esc(c.sequence)} · ${esc(cstTime(c.committedUnixMs))}${c.note ? " · " + esc(c.note) : ""}</div>`;
    }
    function renderChanges(freshest) {
      $("changes").innerHTML = recent.map((e, i) => `<li class="${freshest && i === 0 ? "fresh" : ""}" data-sequence="${esc(e.change.sequence)}">${changeText(e)}</li>`).join("");
    }

    // --- the feed ---
    // Whether a change belongs to the campaign shown (another campaign's comes without totals).
    const ours = e => !e.campaign || !dash || !dash.campaign || e.campaign === dash.campaign;
    function fold(e) {
      const c = e.change || {};
      dash.sequence = Math.max(num(dash.sequence), num(c.sequence));
      if (!ours(e)) return;
      if (e.overall) dash.overall = e.overall;
      if (e.investmentCompleted) dash.investmentCompleted = e.investmentCompleted;
      if (e.department) {
        const code = e.department.department.code, list = dash.departments || (dash.departments = []);
        const i = list.findIndex(x => x.department.code === code);
        const summary = e.department;
        if (i >= 0) {
          summary.targets = list[i].targets || [];
          if (e.target) { const k = summary.targets.findIndex(x => x.target.id === e.target.target.id); if (k >= 0) summary.targets[k] = e.target; }
          list[i] = summary;
        } else list.push(summary);
        if (summary.reportedThisPeriod) dash.notReported = (dash.notReported || []).filter(x => x !== code);
      }
      // Project and plan changes also move stages and batches, and changes replayed from the log carry
      // no totals: read those from the server.
      if (c.kind !== "target" || !e.overall) scheduleRefresh();
    }
    // The early warnings (预警): a count by kind, each warning in the tooltip.
    function warningsLine(list, names) {
      if (!list.length) return `<div id="warnings" class="label met">${esc(t("noWarnings"))}</div>`;
      const counts = {};
      list.forEach(w => { counts[w.kind] = (counts[w.kind] || 0) + 1; });
      const title = list.map(w => `${t("kinds")[w.kind] || w.kind} ${names[w.department] || w.department} ${w.subjectId || ""}`).join("\n");
      return `<div id="warnings" class="label behind" title="${esc(title)}">${esc(t("warnings")(list.length))}: `
        + Object.keys(counts).map(k => esc(`${t("kinds")[k] || k} ${counts[k]}`)).join(" · ") + `</div>`;
    }
    function scheduleRefresh() {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(async () => {
        const r = await fetch(withCampaign("/export.json"), {credentials: "same-origin"}).catch(() => null);
        if (r && r.ok) { const fresh = await r.json(); if (num(fresh.sequence) >= num(dash && dash.sequence)) { dash = fresh; render(); } }
      }, 200);
    }
    function setLive(state) {
      const el = $("live");
      el.dataset.state = state;
      el.className = "pill " + (state === "live" ? "up" : "down");
      el.querySelector("b").textContent = t(state);
    }
    function connect() {
      clearTimeout(retryTimer);
      if (source) source.close();
      source = new EventSource(withCampaign("/events", lastId > 0 ? {after: lastId} : {}));
      source.onopen = () => setLive("live");
      source.addEventListener("snapshot", ev => {
        dash = JSON.parse(ev.data); lastId = num(ev.lastEventId); recent = recent.filter(e => num(e.change.sequence) <= lastId);
        setLive("live"); render();
      });
      source.addEventListener("change", ev => {
        const e = JSON.parse(ev.data), seq = num(ev.lastEventId);
        if (seq <= lastId) return;
        lastId = seq;
        if (dash) fold(e);
        if (!ours(e)) return;
        recent.unshift(e); recent = recent.slice(0, 40);
        render(); renderChanges(true);
      });
      // A warning started or ended (time passed, or a change moved it): not a log position, so the
      // resume point stays; the standing list comes from the server.
      source.addEventListener("warning", () => { if (dash) scheduleRefresh(); });
      source.onerror = () => {
        setLive("reconnecting");
        // The browser retries a dropped stream by itself; a refused one (server restarting, session
        // gone) is closed, so try again from the last sequence, or ask for a login.
        if (source.readyState === EventSource.CLOSED) {
          retryTimer = setTimeout(async () => {
            const r = await fetch("/session", {credentials: "same-origin"}).catch(() => null);
            if (r && (r.status === 401 || r.status === 403)) { showLogin(t("sessionEnded")); return; }
            const probe = await fetch(withCampaign("/export.json"), {credentials: "same-origin"}).catch(() => null);
            if (probe && probe.status === 404) { const body = await probe.json().catch(() => ({})); $("asof").textContent = body.error || ""; return; }
            connect();
          }, 1000);
        }
      };
    }
    function showLogin(message) {
      if (source) { source.close(); source = null; }
      $("board").hidden = true; $("exports").hidden = true; $("logout").hidden = true; $("login").hidden = false;
      $("login-error").textContent = message || ""; $("token").focus();
    }
    function showBoard() {
      $("login").hidden = true; $("board").hidden = false; $("exports").hidden = false; $("logout").hidden = false;
      connect();
      listCampaigns();
    }
    // The selector: every campaign, the one shown chosen; choosing another reloads the page with it.
    async function listCampaigns() {
      const r = await fetch("/campaigns", {credentials: "same-origin"}).catch(() => null);
      if (!r || !r.ok) return;
      const list = await r.json(), shown = campaign || list.default;
      $("campaign").innerHTML = list.campaigns.map(c => `<option value="${esc(c)}"${c === shown ? " selected" : ""}>${esc(c)}</option>`).join("");
      $("campaign-pick").hidden = list.campaigns.length < 2 && !campaign;
    }
    $("login-form").addEventListener("submit", async ev => {
      ev.preventDefault();
      const token = $("token").value.trim();
      if (!token) { $("login-error").textContent = t("emptyToken"); return; }
      const r = await fetch("/login", {method: "POST", credentials: "same-origin", body: new URLSearchParams({token})}).catch(() => null);
      $("token").value = "";
      if (r && r.ok) { showBoard(); return; }
      const body = r ? await r.json().catch(() => ({})) : {};
      $("login-error").textContent = body.error || (r ? `HTTP ${r.status}` : t("reconnecting"));
    });
    $("logout").addEventListener("click", async () => {
      await fetch("/logout", {method: "POST", credentials: "same-origin"}).catch(() => null);
      dash = null; recent = []; lastId = 0; showLogin("");
    });
    $("campaign").addEventListener("change", ev => {
      const q = new URLSearchParams(location.search);
      q.set("campaign", ev.target.value);
      location.search = q.toString();
    });
    $("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; localStorage.setItem("tally.lang", lang); render(); });
    render();
    fetch("/session", {credentials: "same-origin"}).then(r => r.ok ? showBoard() : showLogin("")).catch(() => showLogin(""));
    """#
}
