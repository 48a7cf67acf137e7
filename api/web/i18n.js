// Translations of the pages: English (the default) and Simplified Chinese (zh-CN).
//
// `t(key, params)` looks a text up in the dictionary of the current locale and fills its `{name}`
// placeholders from `params`. Keys are the English texts themselves (gettext style), so an English
// page needs no entry and a text the Chinese dictionary lacks falls back to English (and is
// recorded in `missingKeys()`, which the browser tests check is empty). Enum values shown from the
// API (roles, levels, tiers, stances, severities, alert kinds, team roles, ...) are keys too, in the
// lower case the views use (`economic_buyer`); in English they read with spaces for underscores.
//
// The locale is the one picked with the switch in the header (kept in localStorage as
// `kamgraph.locale`), else the browser's: any `zh*` in `navigator.languages` gives zh-CN, anything
// else English. Texts that come from the server (alert messages, errors, explanations of warm-path
// hops, recommendation evidence) stay English.

export const LOCALES = ["en", "zh-CN"];
export const LOCALE_NAMES = { en: "English", "zh-CN": "中文" };
const STORAGE_KEY = "kamgraph.locale";

/**
 * English. Keys are English texts, so only what reads differently from its key is here; an enum
 * value without an entry reads with spaces for underscores (`economic_buyer` → "economic buyer").
 */
export const en = {
  SPOC: "SPOC",
};

/** Simplified Chinese, in the KAM vocabulary of docs/web.md ("Languages"). */
export const zhCN = {
  // punctuation joined into sentences
  ", ": "、",
  "; ": "；",
  ": ": "：",
  ".": "。",

  // shell
  "Skip to content": "跳到正文",
  "Development mode: demo data and a demo sign-in are enabled. Do not use with real customer data.": "开发模式：已启用演示数据和演示登录。请勿用于真实客户数据。",
  "kamgraph home": "kamgraph 首页",
  Main: "主导航",
  Accounts: "客户",
  Portfolio: "客户组合",
  "Warm paths": "引荐路径",
  Alerts: "预警",
  "Sign out": "退出登录",
  Language: "语言",
  "Loading…": "加载中…",
  "data as of {day}": "数据截至 {day}",
  "Sign in": "登录",
  "Sign in to kamgraph": "登录 kamgraph",
  "Paste your API token (create one with {command}). It is kept in this browser tab only.": "粘贴你的 API 令牌（用 {command} 创建）。令牌只保存在当前浏览器标签页中。",
  "API token": "API 令牌",
  "Use the demo token (development)": "使用演示令牌（开发模式）",
  "That token was not accepted.": "该令牌未被接受。",
  "Your session has expired; sign in again.": "会话已过期，请重新登录。",
  "Cannot show this page": "无法显示此页面",
  "Back to your accounts": "返回你的客户",
  "signed in": "已登录",
  "The server cannot be reached ({reason}).": "无法连接服务器（{reason}）。",
  "The server answered {status}.": "服务器返回 {status}。",
  "Not found, or not visible to you.": "未找到，或你无权查看。",
  never: "从未",
  "Something went wrong: {message}": "出错了：{message}",

  // accounts list
  "No accounts match.": "没有符合条件的客户。",
  "Page {page} of {pages} · {total} accounts": "第 {page} 页，共 {pages} 页 · {total} 个客户",
  "Page {page}": "第 {page} 页",
  "{n} accounts shown": "显示 {n} 个客户",
  "Filter accounts": "筛选客户",
  "Name contains": "名称包含",
  Tier: "客户分级",
  any: "全部",
  "Health band (this page)": "健康度等级（本页）",
  Filter: "筛选",
  "Accounts; column buttons sort": "客户列表；点击列标题排序",
  "Previous page": "上一页",
  "Next page": "下一页",
  Account: "客户",
  Health: "健康度",
  Coverage: "覆盖度",
  Threads: "关系线",
  Revenue: "收入",
  "Revenue at risk": "风险收入",
  "Last exec interaction": "最近一次高层互动",

  // account page
  "Account {id} does not exist or is not visible to you.": "客户 {id} 不存在，或你无权查看。",
  "revenue {value}": "收入 {value}",
  "As of": "截至日期",
  "3 months back": "回溯 3 个月",
  "1 year back": "回溯 1 年",
  Today: "今天",
  "Referral network": "转介绍网络",
  "Relationship map": "关系图谱",
  Zoom: "缩放",
  "fit to width": "适应宽度",
  "Show links between their people (ties, reporting and influence lines)": "显示客户方人员之间的连线（关系、汇报线和影响线）",
  Person: "人员",
  "Tie evidence": "关系依据",
  "Changes since": "变化对比",
  "Compare with": "对比日期",
  "Show changes": "显示变化",
  "Recommended next meetings": "推荐的下一步会面",
  "Each adds a tie of ours (a few good meetings) and is valued on top of the ones above it: coverage brought in, revenue at risk taken away, levels and threads added.": "每一项都为我方增加一条关系（几次高质量会面），其价值在前面各项的基础上计算：带来的覆盖度、减少的风险收入、新增的层级和关系线。",
  "Account plan": "客户计划",
  "Log and notes": "记录与备注",
  "Log a": "记录类型",
  "e-mail": "邮件",
  Ours: "我方人员",
  With: "对方人员",
  On: "日期",
  Subject: "主题",
  "Log it": "记录",
  Note: "备注",
  "Add note": "添加备注",
  "Rate my tie with": "我与其关系评级",
  "Target coverage": "目标覆盖度",
  "Goal": "目标",
  "Save goals": "保存目标",
  "Goals saved.": "目标已保存。",
  "Action": "行动",
  "Due": "截止",
  "Add action": "添加行动",
  "Action added.": "行动已添加。",
  "as": "评为",
  "Rate": "评级",
  "Rated.": "已评级。",
  "What-if: remove people": "假设分析：移除人员",
  "Tick people (ours or theirs) to see coverage, threads and revenue at risk without them.": "勾选人员（我方或客户方），查看没有他们时的覆盖度、关系线和风险收入。",
  "People to remove": "要移除的人员",
  "Reset what-if": "重置假设分析",
  "Coverage score": "覆盖度得分",
  "Revenue at risk · exposed: no role covered": "风险收入 · 暴露：没有任何角色被覆盖",
  " lost": " 损失",
  "Single point of contact": "单点联系人",
  "what-if: {value}": "假设分析：{value}",
  " (no change)": "（无变化）",
  "as of {day}": "截至 {day}",
  "loading as of {day}…": "正在加载截至 {day} 的数据…",
  "Map redrawn as of {day}": "已重绘截至 {day} 的图谱",
  "Left the account: {people}.": "已离开该客户：{people}。",
  " on {day}": "，{day}",
  "our team": "我方团队",
  "their side": "客户方",
  "not on the team": "不在客户团队中",
  "level unknown": "层级未知",
  "Ties: {list}": "关系：{list}",
  "No direct ties with the other side.": "与对方没有直接关系。",
  "Put back (what-if)": "放回（假设分析）",
  "Remove in what-if": "在假设分析中移除",
  "Warm paths to {name}": "通往 {name} 的引荐路径",
  "Computing…": "计算中…",
  "Without 1 person.": "移除 1 人后。",
  "Without {n} people.": "移除 {n} 人后。",
  "What-if: coverage {coverage}, threads {threads}": "假设分析：覆盖度 {coverage}，关系线 {threads}",
  "Comparing {from} with {to}…": "正在对比 {from} 与 {to}…",
  "Weighing the meetings that would help most…": "正在评估最有帮助的会面…",
  "{staff} meets {contact}": "{staff} 会见 {contact}",
  "({name} can introduce)": "（{name} 可以引荐）",
  "coverage {before} → {after} · value {value}": "覆盖度 {before} → {after} · 价值 {value}",
  "threads {before} → {after}": "关系线 {before} → {after}",
  "Add to plan": "加入计划",
  "Nothing to add: every role and level is covered by strong ties.": "无需添加：每个角色和层级都已有强关系覆盖。",
  "coverage {value} of a target {target}": "覆盖度 {value}，目标 {target}",
  "coverage {value}": "覆盖度 {value}",
  "No goals set yet.": "尚未设定目标。",
  "due {day}": "截止 {day}",
  overdue: "已逾期",
  "Status of {title}": "{title} 的状态",
  "No actions yet: add the recommended meetings above.": "暂无行动：可加入上方推荐的会面。",
  "No actions yet.": "暂无行动。",
  "Marked {status}.": "已标记为{status}。",
  "Meet {name}": "会见 {name}",
  'Added "{title}" to the plan.': "已将“{title}”加入计划。",
  "Nothing logged yet.": "尚无记录。",
  you: "你",
  "Logging…": "记录中…",
  "Logged. Coverage {change}.": "已记录。覆盖度 {change}。",
  "Note added.": "备注已添加。",
  "logged a {kind}{subject} ({who})": "记录了一次{kind}{subject}（{who}）",
  interaction: "互动",
  ' "{subject}"': "“{subject}”",
  "rated the tie with {name}: {level}": "评定了与 {name} 的关系：{level}",
  covered: "已覆盖",
  gap: "缺口",
  nobody: "无人",
  "Coverage per role": "决策链覆盖度（按角色）",
  Role: "角色",
  Status: "状态",
  Reach: "触达强度",
  Holders: "担任者",
  "No required roles.": "没有必需角色。",
  "Coverage per level": "各层级覆盖度",
  Level: "层级",
  "Best tie": "最强关系",
  "Hover, focus or select a tie on the map to see its evidence.": "在图谱上悬停、聚焦或选择一条关系，查看其依据。",
  "strength {value}": "强度 {value}",
  "raw {value}": "原始值 {value}",
  "assessed {level}": "评定为 {level}",
  "going cold": "关系降温",
  "{n} interaction(s)": "{n} 次互动",
  "last {day}": "最近 {day}",
  "Interactions behind the tie": "构成该关系的互动",
  Date: "日期",
  Kind: "类型",
  "Age (days)": "距今（天）",
  Weight: "权重",
  Contribution: "贡献",
  "and {n} more": "另有 {n} 条",
  "The strongest contributions are listed.": "仅列出贡献最大的互动。",
  "No interactions: the strength is the floor of the assessment ({floor}).": "没有互动：强度取自评定的下限（{floor}）。",
  "No interactions.": "没有互动。",
  "Interaction details are listed for the 100 strongest ties of the account.": "仅列出该客户最强的 100 条关系的互动明细。",
  " since {day}": "，自 {day} 起",
  ", until {day}": "，至 {day}",
  "{a} reports to {b}": "{a} 向 {b} 汇报",
  "A reporting line counts {strength} in reach and threads: a manager can introduce us to a report, and a report to their manager.": "汇报线在触达和关系线中计为 {strength}：上级可以把我们引荐给下属，下属也可以引荐给上级。",
  "{a} influences {b}": "{a} 影响 {b}",
  "The influence line counts its weight {strength} in reach and threads.": "影响线在触达和关系线中按其权重 {strength} 计算。",
  "(both their people)": "（均为客户方人员）",
  "tie from shared interactions: strength {strength}": "来自共同互动的关系：强度 {strength}",
  "Interaction details are listed for the 100 strongest ties between their people.": "仅列出客户方人员之间最强的 100 条关系的互动明细。",
  yes: "是",
  no: "否",
  none: "无",
  "No change.": "无变化。",
  "{n} change(s) from {from} to {to}": "从 {from} 到 {to} 共 {n} 处变化",
  "coverage {before} → {after}": "覆盖度 {before} → {after}",
  People: "人员",
  "Coverage per required role": "各必需角色的覆盖度",
  "Roles held": "担任的角色",
  Ties: "关系",
  "Reporting and influence lines": "汇报线与影响线",

  // relationship map
  "Relationship map of {name}": "{name} 的关系图谱",
  "Relationship map of the account": "该客户的关系图谱",
  "Relationship map: {theirs} of their people, {ours} of ours, {ties} ties": "关系图谱：客户方 {theirs} 人，我方 {ours} 人，{ties} 条关系",
  "Our team": "我方团队",
  Executive: "高层",
  Management: "中层",
  Operational: "执行层",
  "Level unknown": "层级未知",
  "Tie {a} – {b}, strength {strength}": "关系 {a} – {b}，强度 {strength}",
  "roles {roles}": "角色 {roles}",
  "single point of contact": "单点联系人",
  "cut vertex": "关键桥接人",
  "removed in what-if": "已在假设分析中移除",
  SPOC: "单点",
  "Nobody holds the required role {role}": "无人担任必需角色：{role}",
  "role unfilled": "角色空缺",
  "{a} reports to {b}: counts {strength} in reach": "{a} 向 {b} 汇报：在触达中计为 {strength}",
  "{a} influences {b}: weight {strength}": "{a} 影响 {b}：权重 {strength}",
  "Tie {a} – {b} from shared interactions, strength {strength}": "关系 {a} – {b}（来自共同互动），强度 {strength}",
  Legend: "图例",
  "line width/opacity = tie strength; dashed tie = going cold; grey = reports to; purple dotted = influences; teal = tie between their people (shared interactions)": "线宽/透明度 = 关系强度；虚线关系 = 关系降温；灰线 = 汇报关系；紫色点线 = 影响关系；青色 = 客户方人员之间的关系（共同互动）",
  "badges: {list}": "角色标记：{list}",

  // portfolio
  "{name}: {share} of revenue": "{name}：占收入 {share}",
  "Revenue share of the {n} largest accounts; flag line at {flag}, severe line at {severe}": "收入最高的 {n} 个客户的收入占比；关注线 {flag}，严重线 {severe}",
  "{share} flag": "{share} 关注",
  "{share} severe": "{share} 严重",
  "No alerts of this kind.": "没有此类预警。",
  "None.": "无。",
  "Δ revenue at risk": "风险收入变化",
  "{n} unchanged": "{n} 个未变",
  "{n} added": "新增 {n} 个",
  "{n} removed": "移除 {n} 个",
  "From {from} to {to}: {riskier} riskier, {improved} improved, {rest}; {alerts} new alert(s), {resolved} resolved.": "从 {from} 到 {to}：{riskier} 个风险上升，{improved} 个改善，{rest}；新增预警 {alerts} 条，已解决 {resolved} 条。",
  Riskier: "风险上升",
  Improved: "已改善",
  "New alerts": "新增预警",
  "Resolved alerts": "已解决的预警",
  "The portfolio is not available to you.": "你无权查看客户组合。",
  "No required role is covered: all of its revenue is exposed": "没有任何必需角色被覆盖：全部收入处于暴露状态",
  exposed: "暴露",
  "relationships {a} · role turnover {b}": "关系 {a} · 角色更替 {b}",
  " · from the last refresh": " · 来自最近一次刷新",
  "Portfolio totals are for leadership; below are your accounts.": "客户组合汇总仅对管理层开放；以下是你的客户。",
  "Annual revenue": "年收入",
  " · {n} accounts": " · {n} 个客户",
  " · relationships {a}, role turnover {b}": " · 关系 {a}，角色更替 {b}",
  Exposed: "暴露收入",
  " · {n} accounts with no role covered": " · {n} 个客户没有任何角色被覆盖",
  "Health bands": "健康度等级",
  "Single-threaded accounts": "单线联系的客户",
  "Accounts by revenue at risk": "按风险收入排序的客户",
  "Coverage · threads": "覆盖度 · 关系线",
  "No accounts.": "没有客户。",
  "Top exposures: people by revenue at risk": "最大暴露：按风险收入排序的人员",
  Side: "所属方",
  Exposure: "暴露收入",
  "No exposed people.": "没有暴露的人员。",
  "Revenue concentration": "收入集中度",
  "No revenue.": "没有收入。",
  "Share of annual revenue per account; above {flag} is flagged, above {severe} severe.": "各客户占年收入的比例；超过 {flag} 需关注，超过 {severe} 为严重。",
  Show: "显示",
  "all alerts": "全部预警",
  "job changes": "人员变动",
  "cadence breaches": "高层拜访频次未达标",
  "single points of contact": "单点联系人",
  "Next meetings across the portfolio": "整个客户组合的下一步会面",
  "The best meeting at each of the 20 accounts ranked first, by value (coverage brought in plus revenue at risk taken away), at most two for any one of our people.": "排名前 20 的客户各自最好的一次会面，按价值排序（带来的覆盖度加上减少的风险收入），我方每人最多两次。",
  "Weighing the meetings…": "正在评估会面…",
  "Loading the portfolio as of {day}…": "正在加载截至 {day} 的客户组合…",
  "No meeting would add coverage or take risk away.": "没有会面能增加覆盖度或降低风险。",

  // alerts
  "{severity} · {kind}": "{severity} · {kind}",
  "{name} ({side}) alone holds every relationship thread to the decision makers": "{name}（{side}）独自维系着通往决策者的全部关系线",
  "; {n} thread(s)": "；关系线 {n} 条",
  "{a} - {b}: silent for {days} days (usually every {gap})": "{a} 与 {b}：已 {days} 天没有互动（通常每 {gap} 天一次）",
  "; last on {day}": "；最近一次在 {day}",
  "no exec-level interaction for {days} days ({tier} tier requires one every {required} days)": "已 {days} 天没有高层互动（{tier}客户要求每 {required} 天一次）",
  "no exec-level interaction ever ({tier} tier requires one every {required} days)": "从未有过高层互动（{tier}客户要求每 {required} 天一次）",
  "account health {score} ({band})": "客户健康度 {score}（{band}）",
  "Contract renews {day}: secured.": "合同于 {day} 续约：已锁定。",
  "Contract renews {day}, in {n} days: not secured.": "合同于 {day} 续约，还有 {n} 天：尚未锁定。",
  "NPS {nps} from {n} answers.": "NPS {nps}（{n} 份答卷）。",
  "Adoption {share} of seats.": "席位使用率 {share}。",
  "{open} open support case(s), {complaints} complaint(s) in the window.": "未结支持工单 {open} 个，期内投诉 {complaints} 次。",
  "Relationship alone: {score} ({band}).": "仅看关系：{score}（{band}）。",
  Component: "组成部分",
  Score: "得分",
  "Not scored (no data, not counted as zero):": "未评分（无数据，不按零计）：",
  "contract {id} renews in {days} days ({day}), not secured, with a red relationship ({score})": "合同 {id} 将在 {days} 天后（{day}）续约，尚未锁定，且关系健康度为红（{score}）",
  "{share} of portfolio revenue": "占客户组合收入的 {share}",
  "{name} left on {day}": "{name} 于 {day} 离职",
  "; coverage {before} → {after}": "；覆盖度 {before} → {after}",
  "; uncovered: {roles}": "；失去覆盖：{roles}",
  "{name} started here": "{name} 入职该客户",
  " as {title}": "，担任{title}",
  " (was {roles} at the previous account)": "（在原客户担任{roles}）",
  "; {n} warm path(s) found": "；找到 {n} 条引荐路径",
  "snoozed until {day}": "暂缓至 {day}",
  today: "今天",
  "1 day": "1 天",
  "{n} days": "{n} 天",
  portfolio: "客户组合",
  "open since {day}": "自 {day} 起未处理",
  "notified: {who}": "已通知：{who}",
  Acknowledge: "确认",
  "Snooze until": "暂缓至",
  Snooze: "暂缓",
  Resolve: "解决",
  "Alert inbox": "预警收件箱",
  "{n} open alert(s): {counts}.": "{n} 条未关闭的预警：{counts}。",
  "Most severe first, then oldest.": "最严重的在前，其次是最早的。",
  "Acknowledge an alert to stop its escalation; snooze it until a day; resolve it when it is dealt with.": "确认预警可停止其升级；暂缓到某一天；处理完毕后解决。",
  Severity: "严重程度",
  Alert: "预警",
  Owner: "负责人",
  Age: "时长",
  Actions: "操作",
  "No open alerts. Well done.": "没有未关闭的预警。干得好。",
  "Alert resolved: {message}": "预警已解决：{message}",
  "Alert {status}: {message}": "预警{status}：{message}",
  "Could not acknowledge this alert: {message}": "无法确认此预警：{message}",
  "Could not snooze this alert: {message}": "无法暂缓此预警：{message}",
  "Could not resolve this alert: {message}": "无法解决此预警：{message}",
  "Pick the day the snooze ends.": "请选择暂缓结束的日期。",

  // warm paths
  "Warm-path finder": "引荐路径查找",
  "Find a person": "查找人员",
  "Person to reach (name or email)": "要触达的人（姓名或邮箱）",
  Search: "搜索",
  "Matching people": "匹配的人员",
  "Finding paths to {name}…": "正在查找通往 {name} 的路径…",
  "Path {n}: strength {strength}": "路径 {n}：强度 {strength}",
  "strength {strength}": "强度 {strength}",
  "No warm path within 4 hops.": "4 跳以内没有引荐路径。",
  "Nobody found.": "未找到任何人。",

  // referrals
  "{a} referred {b} ({status})": "{a} 转介绍了 {b}（{status}）",
  "Referral network: {accounts} accounts, {referrals} referrals; green won, red lost, dashed grey lead": "转介绍网络：{accounts} 个客户，{referrals} 次转介绍；绿色为赢单，红色为丢单，灰色虚线为线索",
  "This account does not exist or is not visible to you.": "该客户不存在，或你无权查看。",
  "Referral network of {name}": "{name} 的转介绍网络",
  "{value} won": "赢单 {value}",
  "via {name}": "经由 {name}",
  "on {day}": "于 {day}",
  "Back to the relationship map": "返回关系图谱",
  "Depth (hops)": "深度（跳数）",
  "Direct attributed revenue": "直接归因收入",
  "Indirect attributed revenue (0.5 per hop)": "间接归因收入（每跳 0.5）",
  "Referrals won / made": "转介绍赢单 / 总数",
  Network: "网络",
  "No referrals around this account.": "该客户周围没有转介绍。",
  "lead (dashed)": "线索（虚线）",
  "Referred from here": "由此客户转介绍",
  "No referrals made from this account.": "该客户没有转介绍过其他客户。",
  "Referred to this account": "转介绍到此客户",
  "Nobody referred this account.": "没有人转介绍此客户。",

  // enum values from the API (lower case)
  // buying roles
  economic_buyer: "经济决策者",
  decision_maker: "决策人",
  technical_buyer: "技术决策者",
  user_buyer: "使用者",
  procurement: "采购",
  executive_sponsor: "高层发起人",
  champion: "支持者",
  coach: "教练",
  influencer: "影响者",
  gatekeeper: "把关人",
  blocker: "反对者",
  // levels
  executive: "高层",
  management: "中层",
  operational: "执行层",
  // tiers
  strategic: "战略",
  key: "重点",
  potential: "潜力",
  // stances (champion and blocker above)
  supporter: "赞同者",
  neutral: "中立",
  skeptic: "怀疑者",
  // political status
  outside: "圈外",
  political_structure: "政治结构内",
  inner_circle: "核心圈",
  // our team roles
  account_rep: "客户经理",
  solution_specialist: "解决方案专家",
  delivery_lead: "交付负责人",
  customer_success: "客户成功经理",
  // viewer roles
  admin: "管理员",
  leadership: "管理层",
  account_manager: "客户经理",
  app: "应用",
  // sides
  ours: "我方",
  theirs: "客户方",
  // health bands
  green: "绿",
  yellow: "黄",
  red: "红",
  // tie bands
  strong: "强",
  medium: "中",
  weak: "弱",
  // severities
  info: "提示",
  warning: "警告",
  severe: "严重",
  // alert kinds
  single_point_of_contact: "单点联系人",
  going_cold: "关系降温",
  cadence_breach: "高层拜访频次未达标",
  job_change_risk: "关键人离职风险",
  job_change_opportunity: "人员变动机会",
  health: "健康度",
  concentration: "收入集中度",
  renewal_at_risk: "续约风险",
  // health components
  coverage: "决策链覆盖",
  threads: "关系线",
  exec_engagement: "高层互动",
  trend: "互动趋势",
  satisfaction: "满意度",
  renewal: "续约",
  usage: "产品使用",
  service: "服务",
  // alert states
  new: "新",
  acknowledged: "已确认",
  snoozed: "已暂缓",
  resolved: "已解决",
  // plan action states
  open: "待办",
  done: "已完成",
  dropped: "已放弃",
  // referral states
  lead: "线索",
  won: "赢单",
  lost: "丢单",
  // interaction kinds
  exec_visit: "高层拜访",
  meeting: "会议",
  call: "电话",
  email: "邮件",
  event: "活动",
  support: "支持",
  // assessed tie levels
  vendor: "供应商",
  credible_source: "可信来源",
  problem_solver: "问题解决者",
  trusted_advisor: "可信顾问",
  // links of a warm path
  tie: "关系",
  reports_to: "汇报",
  influences: "影响",
  colleague: "同事",
  former_colleague: "前同事",
  referral: "转介绍",
  // changes between two days and their fields
  appeared: "新出现",
  changed: "有变化",
  went: "已消失",
  side: "所属方",
  title: "职位",
  department: "部门",
  level: "层级",
  roles: "角色",
  influence: "影响力",
  stance: "态度",
  on_team: "在团队中",
  team_role: "团队角色",
  band: "等级",
  strength: "强度",
  holder: "担任者",
  holders: "担任者",
  weight: "权重",
  kind: "类型",
};

const DICTIONARIES = { en, "zh-CN": zhCN };
const missing = new Set();
const listeners = new Set();

/** The locale for a stored choice and the browser's languages: any `zh*` gives zh-CN, else en. */
export function pickLocale(stored, languages = []) {
  if (LOCALES.includes(stored)) return stored;
  for (const lang of languages ?? []) {
    if (/^zh\b/i.test(String(lang))) return "zh-CN";
  }
  return "en";
}

function storedLocale() {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage refused (privacy mode): the browser's language decides
  }
}

let current = pickLocale(storedLocale(), globalThis.navigator?.languages ?? [globalThis.navigator?.language]);

/** The current locale: "en" or "zh-CN". */
export function locale() {
  return current;
}

/** Switch the locale, remember it in localStorage and tell the listeners (the shell re-renders). */
export function setLocale(next) {
  const chosen = LOCALES.includes(next) ? next : "en";
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, chosen);
  } catch {
    // not kept across visits, but still applied
  }
  const changed = chosen !== current;
  current = chosen;
  applyDocumentLang();
  if (changed) for (const fn of listeners) fn(chosen);
}

/** Call `fn(locale)` after every change of locale. Returns the unsubscribe function. */
export function onLocaleChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** `<html lang>` follows the locale. */
export function applyDocumentLang() {
  if (globalThis.document) document.documentElement.lang = current;
}

const ENUM_KEY = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** The text of `key` in the current locale with its `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const k = String(key ?? "");
  let text = DICTIONARIES[current]?.[k];
  if (text === undefined) {
    if (current !== "en" && k) missing.add(k);
    text = en[k] ?? (ENUM_KEY.test(k) ? k.replaceAll("_", " ") : k);
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name] ?? "") : whole));
}

/** The keys asked for in a locale that has no text for them (falling back to English). */
export function missingKeys() {
  return [...missing].sort();
}

/** An enum value from the API (any casing, null allowed) in the current locale. */
export function te(value, fallback = "–") {
  if (value === null || value === undefined || value === "") return fallback;
  return t(String(value).toLowerCase());
}
