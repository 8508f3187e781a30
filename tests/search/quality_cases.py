"""Quality set: queries over the seed library and the paper(s) that must come first.

Each case is (query, title fragments): the first result's title must contain one
of the fragments. Shared by the test suite and bench/search_bench.py.
"""

from __future__ import annotations

# User state given to some seed papers before searching: title fragment -> (tags, read).
STATE = {
    "Pointer Networks": (["classic"], True),
    "Continual Learning in Neural Networks": (["continual"], True),
    "A Survey of Quantization Methods": (["robustness", "efficiency"], False),
    "Robust Table Integration in Data Lakes": (["robustness"], True),
}

# Authors and venues given to some seed papers (the seed pages list only author counts):
# title fragment -> (authors, journal).
NAMES = {
    "Pointer Networks": (
        ["Oriol Vinyals", "Meire Fortunato", "Navdeep Jaitly"],
        "Advances in Neural Information Processing Systems",
    ),
    "Scaling TransNormer": (["Zhen Qin", "Ashish Vaswani"], None),
    "Towards Provably Unlearnable Examples": (
        ["Ada Smith", "Guy Van den Broeck"],
        "International Conference on Machine Learning",
    ),
    "Provably Robust Conformal Prediction": (["Ge Yan", "Yaniv Romano", "Tsui-Wei Weng"], "ICLR"),
    "Efficient Backdoor Attacks": (["Ziqiang Li", "Hong Sun", "Pengfei Xia", "Heng Li"], None),
    "Region Normalization for Image Inpainting": (
        ["Tao Yu", "Zongyu Guo"],
        "Proceedings of the AAAI Conference on Artificial Intelligence",
    ),
}

CASES: list[tuple[str, tuple[str, ...]]] = [
    # typos
    ("atention is all you need", ("Gaussian Adaptive Attention is All You Need",)),
    ("adverserial training llms", ("Efficient Adversarial Training in LLMs",)),
    ("backdor attacks", ("Efficient Backdoor Attacks",)),
    ("knowlege graph embedding", ("Existing knowledge graph (KG) embedding",)),
    ("compositional generalizaton", ("Data Factors for Better Compositional Generalization",)),
    ("recurent neural networks review", ("A Critical Review of Recurrent Neural Networks",)),
    ("halucinate", ("Calibrated Language Models Must Hallucinate",)),
    # prefixes while typing
    ("pointer net", ("Pointer Networks",)),
    ("hypernet rev", ("A Brief Review of Hypernetworks",)),
    ("omniq", ("OmniQuant",)),
    ("transnor", ("Scaling TransNormer",)),
    ("kinemat", ("Deep Stochastic Kinematic Models",)),
    ("vision language model afford", ("POINTS: Improving Your Vision-language Model",)),
    ("centa", ("Centaur: Robust End-to-End Autonomous Driving",)),
    # acronyms
    ("NAS training-free", ("Robustifying and Boosting Training-Free Neural Architecture Search",)),
    ("NAS graph", ("Auto-GNN: Neural Architecture Search",)),
    ("GAN", ("Generative Adversarial Networks (GANs)",)),
    ("BERT", ("called BERT",)),
    ("MLLM safety", ("SafeEraser",)),
    ("CLIP dataset design", ("Quality Not Quantity",)),
    ("LLM teaching", ("Can LLMs Learn by Teaching?",)),
    ("LLM serving", ("In the rapidly evolving landscape",)),
    # multi-word
    ("quantization diffusion", ("Enhanced Distribution Alignment for Post-Training Quantization",)),
    ("survey quantization", ("A Survey of Quantization Methods",)),
    ("machine unlearning diffusion", ("Score Forgetting Distillation",)),
    ("unlearnable examples bayes", ("Towards Provably Unlearnable Examples",)),
    ("click-through rate embedding", ("OptEmbed",)),
    ("image inpainting", ("Region Normalization for Image Inpainting",)),
    ("motion forecasting traffic", ("Deep Stochastic Kinematic Models",)),
    ("breast ultrasound", ("Prompt2Perturb",)),
    ("learngene pool", ("Building Variable-sized Models via Learngene Pool",)),
    ("curriculum learning deep rl", ("Teacher algorithms for curriculum learning",)),
    ("conformal prediction", ("Provably Robust Conformal Prediction",)),
    ("permutation layer label noise", ("The existence of label noise",)),
    ("emergent in-context learning", ("Data Distributional Properties Drive Emergent",)),
    (
        "unsupervised pretraining provable",
        ("On the Provable Advantage of Unsupervised Pretraining",),
    ),
    ("dataset distillation", ("Self-Supervised Dataset Distillation",)),
    ("arabic", ("ALLaM",)),
    # phrases, exclusions, qualifiers
    ('"label noise" web', ("An accurate detection is not all you need",)),
    ("label noise -web", ("The existence of label noise",)),
    ("robust year:2018", ("Robust Attentional Aggregation",)),
    ("adversarial relu year:2020..2022", ("Efficient Global Optimization of Two-layer ReLU",)),
    ("training authors:>20", ("Benchmarking Neural Network Training Algorithms",)),
    ("title:sharpness unlearning", ("Towards LLM Unlearning Resilient",)),
    ("continual is:read", ("Continual Learning in Neural Networks",)),
    ("tag:classic", ("Pointer Networks",)),
    ("tag:robustness is:unread", ("A Survey of Quantization Methods",)),
    ("robust tag:robustness", ("Robust Table Integration in Data Lakes",)),
    # authors and venues
    ("vinyals", ("Pointer Networks",)),
    ("vaswani", ("Scaling TransNormer",)),
    ("romano conformal", ("Provably Robust Conformal Prediction",)),
    ("van den broeck", ("Towards Provably Unlearnable Examples",)),
    ("author:vaswani", ("Scaling TransNormer",)),
    ('author:"van den broeck"', ("Towards Provably Unlearnable Examples",)),
    ("author:^li attacks", ("Efficient Backdoor Attacks",)),
    ("author:heng", ("Efficient Backdoor Attacks",)),
    ("venue:neurips", ("Pointer Networks",)),
    ("venue:icml", ("Towards Provably Unlearnable Examples",)),
    ("venue:iclr robust", ("Provably Robust Conformal Prediction",)),
    ("inpainting venue:aaai", ("Region Normalization for Image Inpainting",)),
]
