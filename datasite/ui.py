"""Interface words of the generated pages, per language.

These are the site's own words (headings, buttons), the same for every dataset; everything
about a particular dataset comes from its dataset.yml.
"""

UI: dict[str, dict[str, str]] = {
    "en": {
        "download": "Download",
        "download_title": "Download",
        "download_intro": "The same data is kept on several mirrors. Pick one that works from where you are; "
                          "where a mirror needs an extraction code, it is shown next to its link.",
        "cite": "Cite",
        "cite_title": "How to cite",
        "cite_intro": "When you use or share the data, name the data source as",
        "cite_article": "and cite the source article:",
        "license_title": "License and terms",
        "license_intro": "The data is provided under",
        "license_terms": "The following terms apply, as written by the author of the dataset.",
        "licensed_under": "License:",
        "read_terms": "Read the full terms",
        "contact_title": "Contact",
        "email": "Email",
        "wechat": "WeChat ID",
        "code": "Extraction code",
        "copy": "Copy",
        "copy_label": "Copy the extraction code",
        "copy_wechat": "Copy the WeChat ID",
        "open_mirror": "Open",
        "mirror_count": "mirrors",
    },
    "zh": {
        "download": "下载",
        "download_title": "下载数据",
        "download_intro": "数据在多个镜像上保存，内容相同。请选择在您所在地区可以访问的镜像；需要提取码的镜像会在链接旁显示提取码。",
        "cite": "引用",
        "cite_title": "引用方式",
        "cite_intro": "使用或分享数据时，请将数据来源命名为",
        "cite_article": "并引用来源文章：",
        "license_title": "许可协议与条款",
        "license_intro": "本数据遵循",
        "license_terms": "以下条款由数据集作者撰写，适用于本数据。",
        "licensed_under": "许可协议：",
        "read_terms": "阅读完整条款",
        "contact_title": "联系方式",
        "email": "电子邮箱",
        "wechat": "微信号",
        "code": "提取码",
        "copy": "复制",
        "copy_label": "复制提取码",
        "copy_wechat": "复制微信号",
        "open_mirror": "打开",
        "mirror_count": "个镜像",
    },
}
