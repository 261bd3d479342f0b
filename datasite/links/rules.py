"""Soft-404 rules: text that a cloud drive shows, with HTTP 200, when a share is dead.

Keys are host patterns (shell-style, matched against the link's host name); values are texts
whose presence in the page means the share is gone. A live share that asks for its extraction
code ("请输入提取码") must never match. dataset.yml can add rules (`link_check.dead_share_markers`).
"""

from __future__ import annotations

from fnmatch import fnmatchcase

DEFAULT_DEAD_SHARE_MARKERS: dict[str, tuple[str, ...]] = {
    "pan.baidu.com": (
        "分享的文件已经被取消了",
        "分享的文件已经被删除了",
        "链接不存在",
        "此链接分享内容可能因为涉及侵权",
        "分享已过期",
        "你所访问的页面不存在了",
    ),
    "pan.quark.cn": ("文件取消分享了", "分享地址已失效", "该分享已被取消", "文件已被分享者删除", "分享不存在"),
    "lanzou?.com": ("文件取消分享了", "来晚啦", "文件不存在"),
    "*.lanzou?.com": ("文件取消分享了", "来晚啦", "文件不存在"),
    "caiyun.139.com": ("链接不存在", "分享已过期", "链接已失效", "分享已取消"),
    "yun.139.com": ("链接不存在", "分享已过期", "链接已失效", "分享已取消"),
    "1drv.ms": ("This item might not exist or is no longer available", "This link has expired"),
    "onedrive.live.com": ("This item might not exist or is no longer available", "This link has expired"),
    "*.sharepoint.com": ("This item might not exist or is no longer available", "This link has expired"),
    "drive.google.com": ("Sorry, the file you have requested does not exist",),
}


def merged_markers(extra: dict[str, list[str]] | None) -> dict[str, tuple[str, ...]]:
    rules = dict(DEFAULT_DEAD_SHARE_MARKERS)
    for pattern, texts in (extra or {}).items():
        rules[pattern] = tuple(rules.get(pattern, ())) + tuple(texts)
    return rules


def markers_for(host: str, rules: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    host = host.lower()
    found: list[str] = []
    for pattern, texts in rules.items():
        if fnmatchcase(host, pattern.lower()):
            found.extend(t for t in texts if t not in found)
    return tuple(found)
