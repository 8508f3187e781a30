"""Golden outputs: every style for four kinds of paper."""

from __future__ import annotations

import pytest

from readinglist.citations import STYLES, cite

GOLDEN = {
    "bibtex": {
        "full": "\n".join(
            [
                "@misc{vaswani2017attention,",
                "  author        = {Ashish Vaswani and Noam Shazeer and Niki Parmar and Jakob Uszkoreit},",
                "  title         = {Attention Is All You Need: Scaling {LLMs} on {ImageNet} with {DocLayout-YOLO}},",
                "  year          = {2017},",
                "  month         = jun,",
                "  eprint        = {1706.03762},",
                "  archiveprefix = {arXiv},",
                "  doi           = {10.48550/arXiv.1706.03762},",
                "}",
            ]
        ),
        "seed": "\n".join(
            [
                "@misc{robust2021,",
                "  title = {Robust Training Using Natural Transformation},",
                "  year  = {2021},",
                "  month = may,",
                "  note  = {6 authors},",
                "}",
            ]
        ),
        "derived": "\n".join(
            [
                "@misc{present2024,",
                "  title = {[Abstract: We present {ALLaM}: Arabic Large Language Model, a…]},",
                "  year  = {2024},",
                "  month = dec,",
                "  note  = {year 2024 inferred},",
                "}",
            ]
        ),
        "hostile": "\n".join(
            [
                "@misc{nunezndevil,",
                "  author  = {José Núñez and Zoë O'Brien},",
                "  title   = {\\{Evil\\} 100\\% \\& \\$x\\$ \\textbackslash{}input\\{x\\} [bold]x[/] \\textasciitilde{}\\string^\\#\\_ Über café 中文 end},",
                "  journal = {Journal of A \\& B},",
                "  url     = {https://example.org/a%20b%7Bc%7D},",
                "}",
            ]
        ),
    },
    "biblatex": {
        "full": "\n".join(
            [
                "@online{vaswani2017attention,",
                "  author     = {Ashish Vaswani and Noam Shazeer and Niki Parmar and Jakob Uszkoreit},",
                "  title      = {Attention Is All You Need: Scaling {LLMs} on {ImageNet} with {DocLayout-YOLO}},",
                "  date       = {2017-06-12},",
                "  eprint     = {1706.03762},",
                "  eprinttype = {arxiv},",
                "  doi        = {10.48550/arXiv.1706.03762},",
                "}",
            ]
        ),
        "seed": "\n".join(
            [
                "@misc{robust2021,",
                "  title = {Robust Training Using Natural Transformation},",
                "  date  = {2021-05-09},",
                "  note  = {6 authors},",
                "}",
            ]
        ),
        "derived": "\n".join(
            [
                "@misc{present2024,",
                "  title = {[Abstract: We present {ALLaM}: Arabic Large Language Model, a…]},",
                "  date  = {2024-12-12?},",
                "}",
            ]
        ),
        "hostile": "\n".join(
            [
                "@article{nunezndevil,",
                "  author       = {José Núñez and Zoë O'Brien},",
                "  title        = {\\{Evil\\} 100\\% \\& \\$x\\$ \\textbackslash{}input\\{x\\} [bold]x[/] \\textasciitilde{}\\string^\\#\\_ Über café 中文 end},",
                "  journaltitle = {Journal of A \\& B},",
                "  url          = {https://example.org/a%20b%7Bc%7D},",
                "}",
            ]
        ),
    },
    "apa": {
        "full": "Vaswani, A., Shazeer, N., Parmar, N., & Uszkoreit, J. (2017). Attention is all you need: Scaling LLMs on ImageNet with DocLayout-YOLO (arXiv:1706.03762). arXiv. https://doi.org/10.48550/arXiv.1706.03762",
        "seed": "Robust training using natural transformation. (2021).",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…]. (ca. 2024).",
        "hostile": "Núñez, J., & O'Brien, Z. (n.d.). {Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ über café 中文 end. Journal of A & B. https://example.org/a%20b{c}",
    },
    "mla": {
        "full": "Vaswani, Ashish, et al. “Attention Is All You Need: Scaling LLMs on ImageNet with DocLayout-YOLO.” arXiv, 12 June 2017, https://doi.org/10.48550/arXiv.1706.03762.",
        "seed": "“Robust Training Using Natural Transformation.” 9 May 2021.",
        "derived": "Abstract: We present ALLaM: Arabic Large Language Model, a… 12 Dec. [2024?].",
        "hostile": "Núñez, José, and Zoë O'Brien. “{Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ Über café 中文 end.” Journal of A & B, https://example.org/a%20b{c}.",
    },
    "chicago": {
        "full": "Vaswani, Ashish, Noam Shazeer, Niki Parmar, and Jakob Uszkoreit. 2017. “Attention Is All You Need: Scaling LLMs on ImageNet with DocLayout-YOLO.” Preprint, arXiv:1706.03762. https://doi.org/10.48550/arXiv.1706.03762.",
        "seed": "“Robust Training Using Natural Transformation.” 2021.",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…]. [2024?].",
        "hostile": "Núñez, José, and Zoë O'Brien. n.d. “{Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ Über café 中文 end.” Journal of A & B. https://example.org/a%20b{c}.",
    },
    "ieee": {
        "full": "[1] A. Vaswani, N. Shazeer, N. Parmar, and J. Uszkoreit, “Attention is all you need: Scaling LLMs on ImageNet with DocLayout-YOLO,” arXiv:1706.03762, Jun. 2017, doi: 10.48550/arXiv.1706.03762.",
        "seed": "[1] “Robust training using natural transformation,” May 2021.",
        "derived": "[1] “[Abstract: We present ALLaM: Arabic Large Language Model, a…],” Dec. [2024?].",
        "hostile": "[1] J. Núñez and Z. O'Brien, “{Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ über café 中文 end,” Journal of A & B, n.d. [Online]. Available: https://example.org/a%20b{c}",
    },
    "harvard": {
        "full": "Vaswani, A. et al. (2017) ‘Attention is all you need: Scaling LLMs on ImageNet with DocLayout-YOLO’. Preprint, arXiv:1706.03762. Available at: https://doi.org/10.48550/arXiv.1706.03762.",
        "seed": "‘Robust training using natural transformation’ (2021).",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…] (c. 2024).",
        "hostile": "Núñez, J. and O'Brien, Z. (no date) ‘{Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ über café 中文 end’, Journal of A & B. Available at: https://example.org/a%20b{c}.",
    },
    "markdown": {
        "full": "[Attention Is All You Need: Scaling LLMs on ImageNet with DocLayout-YOLO](https://doi.org/10.48550/arXiv.1706.03762) (2017)",
        "seed": "Robust Training Using Natural Transformation (2021)",
        "derived": "\\[Abstract: We present ALLaM: Arabic Large Language Model, a…\\] (2024?)",
        "hostile": "[\\{Evil\\} 100% & $x$ \\\\input\\{x\\} \\[bold\\]x\\[/\\] \\~^\\#\\_ Über café 中文 end](https://example.org/a%20b{c}) (n.d.)",
    },
    "plain": {
        "full": "Ashish Vaswani, Noam Shazeer, Niki Parmar, and Jakob Uszkoreit. Attention Is All You Need: Scaling LLMs on ImageNet with DocLayout-YOLO. arXiv:1706.03762, 2017. https://doi.org/10.48550/arXiv.1706.03762",
        "seed": "6 authors. Robust Training Using Natural Transformation. 2021.",
        "derived": "[Abstract: We present ALLaM: Arabic Large Language Model, a…]. [2024?].",
        "hostile": "José Núñez and Zoë O'Brien. {Evil} 100% & $x$ \\input{x} [bold]x[/] ~^#_ Über café 中文 end. Journal of A & B, n.d. https://example.org/a%20b{c}",
    },
}


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("kind", ["full", "seed", "derived", "hostile"])
def test_golden(style, kind, request):
    assert cite([request.getfixturevalue(kind)], style) == GOLDEN[style][kind]
