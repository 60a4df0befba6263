-- wrk script for bench/serve.sh: each request asks one of a mix of real-looking questions,
-- in turn: pasted log lines, Japanese symptoms, English symptoms, as /api/search does.
local paths = {
  "/api/search?q=F1103%2002%3A11%3A07.551020%201%20server.go%3A495%5D%20open%20%2Fproc%2Fsys%2Fnet%2Fnetfilter%2Fnf_conntrack_max%3A%20permission%20denied",
  "/api/search?q=%E3%82%A2%E3%83%83%E3%83%97%E3%82%B0%E3%83%AC%E3%83%BC%E3%83%89%E4%B8%AD%E3%81%AB%E8%A8%BC%E6%98%8E%E6%9B%B8%E3%81%AE%E6%9B%B4%E6%96%B0%E3%81%8C%E5%A4%B1%E6%95%97%E3%81%99%E3%82%8B",
  "/api/search?q=pods%20lose%20connectivity%20to%20other%20nodes%20after%20reloading%20firewalld",
  "/api/search?q=skipping%20pod%20synchronization%20-%20PLEG%20is%20not%20healthy%3A%20pleg%20was%20last%20seen%20active%204m12s%20ago",
  "/api/search?q=kube-proxy%20%E3%81%8C%20CrashLoopBackOff%20%E3%81%AB%E3%81%AA%E3%82%8B",
  "/api/search?q=Docker%20service%20is%20not%20active",
  "/search?q=fluent-bit%20keeps%20restarting%20after%20a%20power%20loss%2C%20chunk%20validation%20failed",
  "/api/search?q=Error%3A%20Failed%20to%20download%20metadata%20for%20repo%20%27appstream%27%3A%20Cannot%20prepare%20internal%20mirrorlist%3A%20No%20URLs%20in%20mirrorlist",
}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
