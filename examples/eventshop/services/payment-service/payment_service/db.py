"""Payments table (SQLAlchemy 1.4, declarative)."""

from __future__ import annotations

import os

from sqlalchemy import Column, DateTime, Numeric, String, create_engine, func
from sqlalchemy.orm import declarative_base, sessionmaker

Base = declarative_base()
engine = create_engine(os.environ.get("DATABASE_URL", "postgresql://payments@postgres/payments"))
Session = sessionmaker(bind=engine)


class Payment(Base):
    __tablename__ = "payments"

    order_id = Column(String(36), primary_key=True)
    amount = Column(Numeric(12, 2), nullable=False)
    currency = Column(String(3), nullable=False)
    status = Column(String(16), nullable=False, default="PENDING")
    processor_reference = Column(String(64))
    captured_at = Column(DateTime(timezone=True), server_default=func.now())
