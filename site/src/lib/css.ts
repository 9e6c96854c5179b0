/**
 * The whole stylesheet, inlined into every page (a few KB): pages need no other file, and an
 * archived month stays self-contained. Dark mode and print come from media queries alone.
 */
import { paletteCss } from "../charts/palette.ts";

// Its line breaks are dropped (pageCss), so a long rule goes on on the next line after a `;` or `}`.
const base = `
:root{--cal0:#ffc9c9;--cal1:#ffd8a8;--cal2:#ffec99;--cal3:#d8f5a2;--cal4:#b2f2bb;--cal5:#63e6be;
--cal6:#20c997;--cal-fg:#1d2125}
@media (prefers-color-scheme: dark){:root{--cal0:#7a2424;--cal1:#7a4a14;--cal2:#6b5a12;--cal3:#4a6317;
--cal4:#2b6a36;--cal5:#0f7658;--cal6:#0b8a66;--cal-fg:#f1f3f5}}
:root{--bg:#f7f7f5;--card:#fff;--fg:#1d2125;--muted:#5c646c;--line:#dde1e4;--accent:#0b7285;--warn-bg:#fff3bf;
--warn-fg:#5c3c00;--warn-line:#f08c00;color-scheme:light dark}
@media (prefers-color-scheme: dark){:root{--bg:#15181b;--card:#1e2226;--fg:#e9ecef;--muted:#a3acb5;
--line:#343a40;--accent:#66d9e8;--warn-bg:#3d2e00;--warn-fg:#ffe8a1;--warn-line:#f59f00}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);
font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
font-variant-numeric:tabular-nums}
a{color:var(--accent)}
header.site{display:flex;flex-wrap:wrap;align-items:baseline;gap:.5rem 1.5rem;
padding:.8rem max(1rem,calc(50vw - 38rem));background:var(--card);border-bottom:1px solid var(--line)}
header.site .brand{font-weight:700;font-size:1.1rem;color:var(--fg);text-decoration:none}
header.site nav{display:flex;gap:.3rem 1rem;flex-wrap:wrap}
main{max-width:76rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.6rem 0 .2rem}
h2{font-size:1.2rem;margin:1.8rem 0 .6rem}
.sub{color:var(--muted);margin:0 0 1rem}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.75rem;margin:1rem 0}
.kpi{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--q,var(--line));
border-radius:.5rem;padding:.6rem .8rem}
.kpi .label{font-size:.85rem;color:var(--muted)}
.kpi .value{font-size:1.45rem;font-weight:650;line-height:1.25;margin:.1rem 0}
.kpi .note{font-size:.78rem;color:var(--muted)}
.kpi.warn{background:var(--warn-bg);border-color:var(--warn-line)}
.kpi.warn .note{color:var(--warn-fg)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,32rem),1fr));gap:1rem}
figure.chart{margin:0;background:var(--card);border:1px solid var(--line);border-radius:.5rem;
padding:.8rem .9rem;min-width:0}
figure.chart h3{margin:0 0 .3rem;font-size:1.02rem}
figure.chart svg{display:block;width:100%;height:auto;color:var(--fg)}
figure.chart figcaption{font-size:.82rem;color:var(--muted);margin-top:.4rem}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem;margin:0 0 .3rem;padding:0;
list-style:none}
.legend li{display:flex;align-items:center;gap:.35rem}
.sw{display:inline-block;width:1.1rem;height:.7rem;border-radius:2px;background:var(--q)}
.sw.line{height:3px}
.sw.dash{height:0;border-top:3px dashed var(--q);background:none}
.sw.dot{width:.7rem;height:.7rem;border-radius:50%}
.sw.partial{background:none;border:2px dashed var(--q)}
.sw.ring{width:.7rem;height:.7rem;border-radius:50%;background:none;border:2px solid var(--q)}
.sw.area{opacity:.3}
.empty{padding:2.5rem 1rem;text-align:center;color:var(--muted);border:1px dashed var(--line);
border-radius:.4rem}
details{margin-top:.4rem;font-size:.85rem}
details summary{cursor:pointer;color:var(--accent)}
.tablewrap{overflow-x:auto;max-height:22rem;overflow-y:auto}
.tablewrap.whole{max-height:none}
td.prose{white-space:normal;text-align:left;min-width:18rem}
th.prose{text-align:left}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{padding:.25rem .5rem;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{position:sticky;top:0;background:var(--card)}
tfoot th,tfoot td{font-weight:650;border-top:2px solid var(--line);border-bottom:0}
table caption{caption-side:top;text-align:left;color:var(--muted);padding:.35rem .5rem;font-size:.85rem}
table.data{background:var(--card);border:1px solid var(--line);border-radius:.5rem}
nav.period{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.4rem 0 1rem;font-size:.95rem}
nav.period .prev,nav.period .next{padding:.2rem .6rem;border:1px solid var(--line);border-radius:999px;
background:var(--card);text-decoration:none}
nav.period .up{display:flex;gap:.8rem;flex-wrap:wrap}
nav.period .spacer{flex:1}
nav.period .down{flex-basis:100%;display:flex;flex-wrap:wrap;gap:.2rem .7rem}
.progress{background:var(--warn-bg);color:var(--warn-fg);border-left:4px solid var(--warn-line);
border-radius:.3rem;padding:.4rem .8rem;margin:.2rem 0 .8rem;font-size:.92rem}
.calendar{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,20rem),1fr));gap:.5rem 1.5rem}
.cal-month h2{margin:.8rem 0 .3rem;font-size:1.05rem}
table.cal-grid{table-layout:fixed;font-size:.8rem}
table.cal-grid th,table.cal-grid td{padding:1px;text-align:center;border:0}
table.cal-grid thead th{position:static;background:none;color:var(--muted);font-weight:500}
table.cal-grid tbody th{font-weight:500;font-size:.75rem}
.cal{display:flex;flex-direction:column;align-items:center;justify-content:center;height:2.5rem;
border-radius:.3rem;text-decoration:none;color:var(--cal-fg);line-height:1.15}
.cal .d{font-weight:650}
.cal .v{font-size:.72rem}
.cal.out{color:var(--muted)}
.cal.nocop{background:var(--card);border:1px solid var(--line);color:var(--fg)}
.cal.partial{outline:2px dashed var(--fg);outline-offset:-2px}
.cop0{background:var(--cal0)}.cop1{background:var(--cal1)}.cop2{background:var(--cal2)}
.cop3{background:var(--cal3)}.cop4{background:var(--cal4)}.cop5{background:var(--cal5)}
.cop6{background:var(--cal6)}
.cal-legend .cal{display:inline-block;width:1.4rem;height:.9rem}
.banner{background:var(--warn-bg);color:var(--warn-fg);border:1px solid var(--warn-line);border-radius:.5rem;
padding:.7rem 1rem;margin:1rem 0;font-weight:500}
.quicklinks{display:flex;flex-wrap:wrap;gap:.6rem;margin:.6rem 0}
.quicklinks a{padding:.3rem .8rem;border:1px solid var(--line);border-radius:999px;background:var(--card);
text-decoration:none}
.note-box{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.4rem 1rem;
font-size:.9rem}
.note-box p{margin:.35rem 0}
.twin{margin-top:1.2rem}
footer{max-width:76rem;margin:2rem auto 1rem;padding:0 1rem;color:var(--muted);font-size:.8rem}
@media (max-width:40rem){main{padding:.6rem}.kpi .value{font-size:1.2rem}h1{font-size:1.35rem}
.tablewrap{max-height:none;overflow:visible}
table.reflow thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.reflow,table.reflow tbody,table.reflow tfoot{display:block}
table.reflow tr{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));column-gap:.5rem;
border-bottom:1px solid var(--line);padding:.25rem 0}
table.reflow tbody th,table.reflow tfoot th{grid-column:1/-1}
table.reflow.long tr{grid-template-columns:1fr}
table.reflow th,table.reflow td{display:flex;justify-content:space-between;gap:1rem;border:0;
padding:.1rem .5rem;white-space:normal}
table.reflow tbody th{font-weight:650}
table.reflow tfoot tr{border-top:2px solid var(--line)}
table.reflow td{white-space:nowrap}
table.reflow td::before{content:attr(data-label);color:var(--muted);text-align:left;white-space:normal}
table.reflow td.prose{white-space:normal;display:block;grid-column:1/-1;min-width:0}
table.reflow td.prose::before{display:block}
table.reflow tfoot td::before{font-weight:400}
table.reflow caption{display:block}}
@media print{:root{--bg:#fff;--card:#fff;--fg:#000;--muted:#333;--line:#bbb;--accent:#0b7285;
color-scheme:light}.tablewrap{max-height:none;overflow:visible}
header.site nav,nav.period,.quicklinks,details summary{display:none}details>.tablewrap{display:none}
figure.chart,.kpi{break-inside:avoid}.charts{grid-template-columns:1fr}body{font-size:11pt}}
`;

export const pageCss: string = (paletteCss() + base).replace(/\n/g, "");
