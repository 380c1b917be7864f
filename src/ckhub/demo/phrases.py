"""Phrase banks of the demo company (consumer electronics): what its customers say, by topic.

Each topic has Chinese and English variants; the generator mixes them with openers, closers,
typos and personal details, so no two entries read alike.
"""

from __future__ import annotations

PRODUCT_LINES = [
    # key, Chinese, English, keywords
    ("phones", "手机", "Phones", "手机\n电池\n信号\n屏幕\n充电\nphone\nbattery"),
    ("tablets", "平板", "Tablets", "平板\n平板电脑\n手写笔\n同步\ntablet\nstylus\nsync"),
    ("laptops", "笔记本电脑", "Laptops", "笔记本\n电脑\n键盘\n风扇\n散热\nlaptop\nkeyboard\nfan"),
    ("heaters", "热水器", "Water heaters", "热水器\n加热\n水温\n热水\nheater\nhot water"),
]

# (topic, product line, issue type, [Chinese variants], [English variants])
TOPICS = [
    (
        "battery",
        "phones",
        "bug",
        [
            "手机电池一天要充三次，续航太差",
            "电池掉电特别快，半天就没电了",
            "充满电用不到一天，电池是不是有问题",
        ],
        ["Battery drains in half a day", "The phone battery life is terrible"],
    ),
    (
        "signal",
        "phones",
        "bug",
        ["地下室完全没信号", "手机信号时有时无，打电话老断"],
        ["Calls keep dropping, weak signal", "No signal in the elevator"],
    ),
    (
        "screen",
        "phones",
        "praise",
        ["屏幕显示效果很棒，颜色很正", "屏幕很清楚，看视频很舒服"],
        ["Love the screen, colors are great"],
    ),
    (
        "stylus",
        "tablets",
        "how_to",
        ["手写笔怎么配对？说明书没写", "请问手写笔在哪里设置压感"],
        ["How do I pair the stylus?", "Where is the pen pressure setting?"],
    ),
    (
        "tablet_heat",
        "tablets",
        "complaint",
        ["平板玩游戏很烫手", "平板用久了发热严重"],
        ["Tablet gets really hot"],
    ),
    (
        "keyboard",
        "laptops",
        "bug",
        ["笔记本键盘有几个键失灵", "键盘偶尔连击，打字很烦"],
        ["Some keys on the laptop keyboard stopped working"],
    ),
    (
        "fan",
        "laptops",
        "complaint",
        ["电脑风扇噪音太大，开会很尴尬", "风扇一直狂转，散热不行"],
        ["The fan is way too loud"],
    ),
    (
        "heating",
        "heaters",
        "bug",
        ["热水器加热太慢，洗澡水不够热", "水温忽冷忽热，洗澡很难受"],
        ["Water heater takes forever to heat up", "Water temperature keeps jumping"],
    ),
    (
        "install",
        "heaters",
        "how_to",
        ["热水器安装要预约吗？多久能上门", "请问热水器怎么设置预约加热"],
        ["How do I schedule heating on the water heater?"],
    ),
    (
        "invoice",
        "",
        "billing",
        ["发票抬头开错了，需要重开", "订单的发票什么时候能开出来", "退款一直没到账"],
        ["The invoice has the wrong company name", "Refund still not received"],
    ),
    (
        "delivery",
        "",
        "complaint",
        ["物流太慢了，等了一个星期", "快递员态度很差，包装也破了"],
        ["Delivery took a week", "Package arrived damaged"],
    ),
    (
        "praise_service",
        "",
        "praise",
        ["客服小姐姐很耐心，问题很快解决了", "售后服务很给力，点赞"],
        ["Support was quick and friendly, thanks!"],
    ),
]

# Storyline 1: after firmware 2.3 (released in month RELEASE_MONTH of the demo year), tablet
# sync breaks: a wave of complaints across channels.
SYNC_RELEASE = "2.3"
SYNC_WAVE = (
    [
        "升级到2.3之后平板同步一直失败",
        "2.3版本更新后，平板和手机同步不了了，文件丢了",
        "新固件2.3同步报错，重启也没用",
        "平板更新后同步转圈圈，等了半小时",
    ],
    [
        "Since the 2.3 update the tablet won't sync",
        "Sync fails after updating to 2.3",
        "After firmware 2.3 my files are not syncing anymore",
    ],
)

# Storyline 2: key customers ask for the same thing in different words (bulk export of reports).
BULK_EXPORT = (
    [
        "希望能批量导出所有报表",
        "能不能一次把全部数据导出成Excel",
        "报表只能一张张导出，太麻烦了，建议支持批量导出",
        "我们需要按月批量导出设备使用报告",
    ],
    [
        "Please add bulk export of all reports",
        "We need to export everything to Excel at once",
        "Exporting reports one by one is painful, bulk export please",
    ],
)

# Storyline 3: the team's own how-to for tablet sync was written for firmware 2.2; the 2.3 release
# moved the setting, and customers start saying the instructions no longer match. The help
# center (issue 4) must flag the article as stale.
STALE_ARTICLE_TITLE = "平板同步失败怎么办（固件 2.2）"
STALE_ARTICLE_BODY = (
    "适用于固件 2.2。\n"
    "1. 打开 设置 → 账户 → 同步设置。\n"
    "2. 关闭“自动同步”，等待 10 秒后重新打开。\n"
    "3. 仍然失败时，在“同步设置”里点“重新登录”。\n"
    "多数情况下以上三步即可恢复同步。"
)
STALE_FOLLOWUPS = (
    [
        "按帮助文章的步骤操作，设置里根本找不到“同步设置”了",
        "你们的帮助文档还是2.2的，2.3里菜单都变了",
        "文章里说的重新登录按钮在哪？新版本没有这个选项",
        "照着帮助中心的教程做了，没用，界面和截图不一样",
    ],
    [
        "The help article says Settings > Account > Sync settings, but that menu is gone in 2.3",
        "Your sync troubleshooting guide is outdated, the steps don't match the new firmware",
    ],
)

OPENERS_ZH = ["你好，", "您好，", "", "麻烦问下，", "客服你好，", "急！", ""]
CLOSERS_ZH = ["谢谢", "请尽快处理", "", "多谢！", "等回复", "不然要退货了", ""]
OPENERS_EN = ["Hi, ", "Hello, ", "", "Quick question: ", ""]
CLOSERS_EN = [" Thanks.", "", " Please help.", " Any update?", ""]
# Typos people make when typing fast (pinyin input picks the wrong homophone).
TYPOS = {
    "电池": "点池",
    "信号": "信好",
    "发票": "发漂",
    "平板": "平版",
    "热水器": "热水气",
    "同步": "铜步",
}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "军", "杰", "涛", "明", "超", "霞"]
COMPANY_PARTS = (
    [
        "华星",
        "远航",
        "蓝海",
        "金桥",
        "启明",
        "天成",
        "鼎盛",
        "恒达",
        "博源",
        "众合",
        "新锐",
        "长风",
        "瑞丰",
        "青云",
        "海纳",
    ],
    ["科技", "电子", "贸易", "教育", "医疗", "物流", "餐饮", "地产"],
)
REGIONS = ["华东", "华南", "华北", "西南", "华中", "海外"]
