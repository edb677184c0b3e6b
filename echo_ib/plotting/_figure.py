"""What every figure module shares: figures without pyplot, their layout, labels that do
not overlap."""

import textwrap

import matplotlib.figure


def subplots(*args, figsize=None, dpi=None, **kwargs):
    """A figure and its axes without pyplot: no global backend or figure state is touched
    (a `matplotlib.figure.Figure` draws with the Agg canvas when saved)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = matplotlib.figure.Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)  # the figure's own canvas: text extents can be measured
    return fig, fig.subplots(*args, **kwargs)


def save(fig, path, rect=None):
    """Lays out, writes and closes `fig`; returns `path`."""
    fig.tight_layout(rect=rect)
    fig.savefig(path)
    return path


def wrap(text, width):
    """`text` wrapped at `width` characters, keeping its own line breaks."""
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def label_without_overlap(ax, text, xy, color, placed, fontsize=7):
    """Annotates `xy` with `text` at the first of a few offsets whose label box does not
    overlap one already `placed` (display coordinates); the last offset if none is free."""
    renderer = ax.figure.canvas.get_renderer()  # Agg (`_subplots`)
    for offset in ((4, 4), (4, -10), (-26, 4), (-26, -10), (4, 12), (4, -18)):
        label = ax.annotate(text, xy, textcoords="offset points", xytext=offset,
                            fontsize=fontsize, color=color)
        box = label.get_window_extent(renderer)
        if not any(box.overlaps(other) for other in placed):
            placed.append(box)
            return label
        label.remove()
    label = ax.annotate(text, xy, textcoords="offset points", xytext=(4, 4), fontsize=fontsize,
                        color=color)
    placed.append(label.get_window_extent(renderer))
    return label
