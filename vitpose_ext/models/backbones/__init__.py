from .vit import ViTPoseBackbone

__all__ = ['ViTPoseBackbone']
