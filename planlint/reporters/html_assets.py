"""The HTML report's style and script, inlined into the page: it opens from a file, with no network.

The script only reads what the page holds (text and data- attributes) and never writes markup: plan
text reaches the page escaped, and stays text; the page's Content-Security-Policy lets no other
script run."""

import base64

from planlint.digests import sha256

CSS = """
:root{--met:#1a7f37;--met-bg:#dafbe1;--not:#b42318;--not-bg:#fee4e2;--na:#667085;--na-bg:#f2f4f7;
--ink:#1d2939;--line:#d0d5dd;--accent:#1849a9}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#fff}
header,main{max-width:1280px;margin:0 auto;padding:0 20px}
header{padding-top:20px}
h1{font-size:1.6em;margin:.2em 0}
h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:2px solid var(--line);padding-bottom:.2em}
.lead{font-size:1.05em;margin:.3em 0 1em}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0 4px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:140px}
.card b{display:block;font-size:1.5em}
.controls{display:flex;gap:12px;flex-wrap:wrap;align-items:end;margin:10px 0;position:sticky;top:0;
background:#fff;padding:8px 0;z-index:2;border-bottom:1px solid var(--line)}
.controls label{display:flex;flex-direction:column;font-size:.85em;font-weight:600}
.controls input,.controls select{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:6px;min-width:190px}
.shown{font-size:.9em;color:var(--na);margin-left:auto}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:5px 7px;text-align:left;vertical-align:top}
thead th{background:#f9fafb;font-size:.85em;position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:700}
th button::after{content:" \\2195";color:var(--na)}
th[aria-sort=ascending] button::after{content:" \\25B2";color:var(--ink)}
th[aria-sort=descending] button::after{content:" \\25BC";color:var(--ink)}
td.num,th.num{text-align:right}
.v{display:inline-block;border-radius:4px;padding:1px 6px;font-size:.85em;white-space:nowrap;font-weight:600}
.v-met{color:var(--met);background:var(--met-bg)}
.v-not{color:var(--not);background:var(--not-bg)}
.v-na{color:var(--na);background:var(--na-bg);font-weight:400}
.codes{display:block;font-size:.75em;color:var(--na)}
.sys{font-weight:600}
th.plancol{min-width:210px}
.file{display:block;font-size:.8em;color:var(--na);word-break:break-all}
a{color:var(--accent)}
details.plan{scroll-margin-top:84px;border:1px solid var(--line);border-radius:8px;margin:10px 0}
details.plan>summary{cursor:pointer;padding:10px 14px;font-weight:600}
details.plan[open]>summary{border-bottom:1px solid var(--line)}
.body{padding:6px 16px 14px}
.verdicts{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0;padding:0;list-style:none}
.measure{display:flex;gap:18px;flex-wrap:wrap;border-top:1px dashed var(--line);padding:10px 0}
.measure figure{margin:0;flex:0 0 380px}
.measure figcaption{font-size:.85em}
.measure .findings{flex:1 1 320px}
svg.chart{width:380px;height:170px;display:block;font-size:10px}
svg.legend{width:580px;max-width:100%;height:40px;font-size:11px}
.axis{fill:none;stroke:#98a2b3}
svg.chart text{fill:#475467}
.yt{text-anchor:end}
.xt{text-anchor:middle}
.hist{fill:none;stroke:#1d2939;stroke-width:2}
.proj{fill:none;stroke:#98a2b3;stroke-width:2;stroke-dasharray:5 4}
.traj{fill:none;stroke:#1849a9;stroke-width:2}
.dots{stroke-width:5;stroke-linecap:round}
.traj.dots{stroke-width:4}
.base{fill:#f79009;stroke:#fff}
.tgt{fill:#b42318;stroke:#fff}
.sproj{fill:#fff;stroke:#667085;stroke-width:2}
.better path{stroke:#1a7f37;stroke-width:2}
.better text{fill:#1a7f37;font-weight:600;font-size:10px}
#arrow path{fill:#1a7f37}
ul.findings{list-style:none;padding:0;margin:0}
ul.findings li{margin:0 0 10px}
.sev{font-size:.75em;font-weight:700;text-transform:uppercase;border-radius:3px;padding:0 4px;margin-right:4px}
.sev-error{color:#fff;background:var(--not)}
.sev-warning{color:#000;background:#fdb022}
.sev-info{color:#fff;background:var(--na)}
pre.src{background:#f9fafb;border:1px solid var(--line);border-radius:4px;padding:3px 8px;margin:4px 0 0;
white-space:pre-wrap;word-break:break-word;font-size:.85em}
.muted{color:var(--na)}
.nochart{color:var(--na);font-size:.9em;width:380px}
@media print{.controls{display:none}}
"""

JS = """
(function(){
  var table=document.getElementById('matrix'), body=table.tBodies[0];
  var rows=Array.prototype.slice.call(body.rows);
  var search=document.getElementById('f-search'), crit=document.getElementById('f-criterion'),
      verdict=document.getElementById('f-verdict'), shown=document.getElementById('shown');
  function key(row,col){var c=row.cells[col];return c.getAttribute('data-sort')||c.textContent;}
  function sortBy(th){
    var col=th.cellIndex, asc=th.getAttribute('aria-sort')!=='ascending', numeric=th.classList.contains('num');
    Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',asc?'ascending':'descending');
    rows.sort(function(a,b){
      var x=key(a,col), y=key(b,col), d=numeric?(parseFloat(x)-parseFloat(y)):x.localeCompare(y);
      if(d===0){d=a.getAttribute('data-order')-b.getAttribute('data-order');return d;}
      return asc?d:-d;});
    rows.forEach(function(r){body.appendChild(r);});
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){
    var b=th.querySelector('button'); if(b){b.addEventListener('click',function(){sortBy(th);});}});
  function filter(){
    var words=search.value.trim().toLowerCase(), c=crit.value, v=verdict.value, n=0;
    rows.forEach(function(r){
      var ok=!words||r.getAttribute('data-search').indexOf(words)>=0;
      if(ok&&v){
        var cells=c?r.querySelectorAll('td[data-criterion="'+c+'"]'):r.querySelectorAll('td[data-criterion]');
        ok=Array.prototype.some.call(cells,function(td){return td.getAttribute('data-verdict')===v;});
      }
      r.hidden=!ok; if(ok){n++;}
    });
    shown.textContent='Showing '+n+' of '+rows.length+' plans';
  }
  [search,crit,verdict].forEach(function(e){e.addEventListener('input',filter);e.addEventListener('change',filter);});
  function open(){
    var id=decodeURIComponent(location.hash.slice(1)), el=id&&document.getElementById(id);
    if(el&&el.tagName==='DETAILS'){el.open=true;el.scrollIntoView();}
  }
  window.addEventListener('hashchange',open); open(); filter();
})();
"""


def script_hash() -> str:
    """The script's SHA-256 in base64, as a Content-Security-Policy names an inline script it allows."""
    return base64.b64encode(sha256(JS.encode("utf-8")).digest()).decode("ascii")
