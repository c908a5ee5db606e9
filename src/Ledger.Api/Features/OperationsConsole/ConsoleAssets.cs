namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>The console's only style sheet and script, served by the host itself (no CDN, no framework): the
/// script does one thing, the upload with a progress bar.</summary>
public static class ConsoleAssets
{
    public static IResult Css => Results.Text(CssText, "text/css; charset=utf-8");

    public static IResult Script => Results.Text(ScriptText, "text/javascript; charset=utf-8");

    private const string CssText = """
        :root { --ink: #1d2430; --muted: #5b6575; --line: #d5dae2; --bg: #f5f7fa; --brand: #0b4f8a; --ok: #13743a; --bad: #b3261e; --warn: #fff4d6; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 "DejaVu Sans", system-ui, sans-serif; color: var(--ink); background: var(--bg); }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .6rem 1.2rem; background: var(--brand); color: #fff; }
        header a { color: #fff; text-decoration: none; }
        header .brand { font-weight: bold; font-size: 1.1rem; margin-right: 1rem; }
        header nav { display: flex; gap: .2rem; flex-wrap: wrap; flex: 1; }
        header nav a { padding: .3rem .7rem; border-radius: 4px; }
        header nav a[aria-current], header nav a:hover { background: rgba(255,255,255,.18); }
        header .signout { display: flex; align-items: center; gap: .5rem; margin: 0; }
        header .signout button { background: transparent; border: 1px solid #fff; color: #fff; padding: .2rem .6rem; }
        header .lang { border: 1px solid rgba(255,255,255,.6); padding: .15rem .5rem; border-radius: 4px; font-size: .9rem; }
        main { padding: 1rem 1.2rem 3rem; max-width: 1400px; }
        h1 { font-size: 1.5rem; margin: .4rem 0 1rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.15rem; margin: 1.2rem 0 .5rem; }
        h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
        a { color: var(--brand); }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; margin: 0 0 1rem; }
        .card.narrow { max-width: 30rem; }
        form.inline, .inline { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; }
        label { display: block; font-weight: 600; margin: .2rem 0; }
        .inline label { display: flex; flex-direction: column; gap: .2rem; }
        input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #9aa5b4; border-radius: 4px; background: #fff; }
        input[type=password], textarea { width: 100%; }
        button, a.button { font: inherit; background: var(--brand); color: #fff; border: 0; border-radius: 4px; padding: .4rem .9rem; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary { background: #6b4e16; }
        table { border-collapse: collapse; width: 100%; background: #fff; margin: .3rem 0 1rem; font-size: .9rem; }
        th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
        thead th { background: #e9edf3; position: sticky; top: 0; }
        td.num, dd.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .text { overflow-wrap: anywhere; white-space: pre-wrap; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
        dl.columns { grid-template-columns: max-content 1fr max-content 1fr; }
        dt { color: var(--muted); }
        dd { margin: 0; }
        dl dd.num { text-align: left; }
        .ok { color: var(--ok); font-weight: 600; }
        .bad { color: var(--bad); font-weight: 600; }
        .big { font-size: 1.1rem; }
        .problem { background: #fdecea; border: 1px solid var(--bad); border-radius: 6px; padding: .6rem 1rem; margin: 0 0 1rem; }
        .problem p { margin: .2rem 0; }
        .done { background: #e7f5ec; border: 1px solid var(--ok); border-radius: 6px; padding: .6rem 1rem; margin: 0 0 1rem; }
        .asof { background: var(--warn); border: 1px solid #d8b24a; border-radius: 6px; padding: .5rem 1rem; }
        .preview { border-top: 2px solid var(--brand); margin-top: 1rem; padding-top: .5rem; }
        .hint, .empty { color: var(--muted); }
        .invariant { font-family: "DejaVu Sans Mono", monospace; font-size: .9rem; }
        .filters a { margin-right: .6rem; }
        .filters a[aria-current] { font-weight: bold; text-decoration: none; color: var(--ink); }
        .tiles { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
        .tiles a { display: block; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; text-decoration: none; color: var(--ink); height: 100%; }
        .tiles strong { display: block; color: var(--brand); font-size: 1.1rem; margin-bottom: .3rem; }
        .timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--brand); }
        .timeline li { margin: 0 0 .7rem; padding: 0 0 0 1rem; position: relative; }
        .timeline li::before { content: ""; position: absolute; left: -8px; top: .35rem; width: 13px; height: 13px; border-radius: 50%; background: var(--brand); }
        .timeline li.later { opacity: .5; }
        .timeline .when { color: var(--muted); font-size: .85rem; }
        .timeline code { display: block; font-size: .78rem; color: #39424f; overflow-wrap: anywhere; white-space: pre-wrap; margin-top: .15rem; }
        .hash { font-family: "DejaVu Sans Mono", monospace; font-size: .8rem; overflow-wrap: anywhere; color: var(--muted); }
        .progress { margin-top: .6rem; display: flex; align-items: center; gap: .6rem; }
        .progress[hidden] { display: none; }
        progress { width: 20rem; height: 1rem; }
        .pager { display: flex; gap: 1rem; }
        figure { margin: 0 0 1rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
        figure img { max-width: 100%; height: auto; display: block; }
        figcaption { color: var(--muted); font-size: .9rem; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(28rem, 1fr)); gap: 1rem; }
        """;

    private const string ScriptText = """
        // The bank-file upload with a progress bar: the file is sent as multipart with the antiforgery token as a
        // header (so the server streams it), then the browser goes to the file's page, or shows the server's answer.
        document.addEventListener("DOMContentLoaded", function () {
          var form = document.getElementById("upload");
          if (!form || !window.XMLHttpRequest || !window.FormData) return;
          form.addEventListener("submit", function (event) {
            event.preventDefault();
            var box = form.querySelector(".progress"), bar = document.getElementById("upload-progress");
            var status = document.getElementById("upload-status"), hint = form.querySelector(".hint");
            var button = form.querySelector("button[type=submit]");
            box.hidden = false; button.disabled = true; bar.value = 0;
            var xhr = new XMLHttpRequest();
            xhr.open("POST", form.action);
            xhr.setRequestHeader("X-CSRF-TOKEN", form.getAttribute("data-csrf"));
            xhr.upload.addEventListener("progress", function (e) {
              if (!e.lengthComputable) return;
              var percent = Math.floor(100 * e.loaded / e.total);
              bar.value = percent;
              status.textContent = hint.getAttribute("data-sending") + " " + percent + " %";
            });
            xhr.upload.addEventListener("load", function () {
              bar.removeAttribute("value");
              status.textContent = hint.getAttribute("data-importing");
            });
            xhr.addEventListener("load", function () {
              if (xhr.status === 200 && xhr.responseURL && xhr.responseURL.indexOf("/console/bank-files/") > 0) {
                window.location.assign(xhr.responseURL);
                return;
              }
              var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
              var main = page.querySelector("main");
              if (main) document.querySelector("main").replaceWith(document.adoptNode(main));
              else { status.textContent = xhr.status + " " + xhr.statusText; button.disabled = false; }
            });
            xhr.addEventListener("error", function () { status.textContent = "✗"; button.disabled = false; });
            xhr.send(new FormData(form));
          });
        });
        """;
}
