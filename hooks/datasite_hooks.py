"""MkDocs hooks of datasite: thin adapters from MkDocs events to the datasite package."""

from mkdocs.plugins import CombinedEvent, event_priority

from datasite import site

_state: site.BuildState | None = None


# After mkdocs-static-i18n (priority -100) has set this build's language.
@event_priority(-110)
def on_config(config):
    global _state
    _state = site.prepare(config, _state)
    return config


# Before mkdocs-static-i18n sorts files into languages (it runs at -100) ...
@event_priority(10)
def _add_generated_files(files, config):
    return site.add_generated_files(files, config, _state)


# ... and after it, since it re-creates the File objects.
@event_priority(-110)
def _fill_generated_files(files, config):
    return site.fill_generated_files(files, config, _state)


on_files = CombinedEvent(_add_generated_files, _fill_generated_files)


def on_page_content(html, page, config, files):
    return site.page_content(html, _state)


# After mkdocs-static-i18n (priority 50) has set its own, site-wide, language links.
@event_priority(-110)
def on_page_context(context, page, config, nav):
    return site.page_context(context, page, config, _state)


# Last, once every plugin has written its part of the page.
@event_priority(-200)
def on_post_page(output, page, config):
    return site.minify_page(output)


def on_post_build(config):
    site.write_status(config, _state)


def on_serve(server, config, builder):
    server.watch(str(site.data_path(config)))
    return server
