"""marsad's web newsroom: `marsad serve` over a store (front page, story, article, search and entity
pages, and the same data as JSON). A thin shell over `store` and `report`."""

from marsad.web.app import create_app

__all__ = ["create_app"]
