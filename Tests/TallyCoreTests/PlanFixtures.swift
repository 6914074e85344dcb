/// Plan files for tests.
enum PlanFixtures {
    /// A small, realistic 2024 plan: two reporting departments (and the central office), four
    /// targets, two batches, three projects (one led by marine-hitech and co-reported by yinzhu).
    /// Canonical text (as `tally plan export` writes it). Ids carry the year, so they stand beside 2023's.
    static let plan2024 = #"""
{
  "format": 1,
  "campaign": "创新突破年",
  "year": "2024",
  "notes": [
    "A small 2024 plan for tests: two reporting departments, a few targets, batches and projects; ids carry the year so that they stand beside 2023's."
  ],
  "departments": [
    {
      "code": "central",
      "name": "新区",
      "kind": "central",
      "sort_order": 0
    },
    {
      "code": "marine-hitech",
      "name": "海洋高新区",
      "kind": "functional_zone",
      "sort_order": 1
    },
    {
      "code": "yinzhu",
      "name": "隐珠街道",
      "kind": "subdistrict",
      "sort_order": 2
    }
  ],
  "lines": [
    {
      "code": "marine-hitech/hq",
      "department": "marine-hitech",
      "name": "总部引领",
      "goal": "现代海洋活力新城",
      "sort_order": 1
    },
    {
      "code": "yinzhu/industry",
      "department": "yinzhu",
      "name": "产业升级",
      "goal": "",
      "sort_order": 2
    }
  ],
  "periods": [
    {
      "code": "2024",
      "kind": "year",
      "starts_at": "2024-01-01T00:00:00+08:00",
      "ends_at": "2025-01-01T00:00:00+08:00",
      "due_at": "2025-01-06T00:00:00+08:00"
    },
    {
      "code": "2024-01",
      "kind": "month",
      "starts_at": "2024-01-01T00:00:00+08:00",
      "ends_at": "2024-02-01T00:00:00+08:00",
      "due_at": "2024-02-06T00:00:00+08:00"
    },
    {
      "code": "2024-02",
      "kind": "month",
      "starts_at": "2024-02-01T00:00:00+08:00",
      "ends_at": "2024-03-01T00:00:00+08:00",
      "due_at": "2024-03-06T00:00:00+08:00"
    },
    {
      "code": "2024-03",
      "kind": "month",
      "starts_at": "2024-03-01T00:00:00+08:00",
      "ends_at": "2024-04-01T00:00:00+08:00",
      "due_at": "2024-04-06T00:00:00+08:00"
    },
    {
      "code": "2024-04",
      "kind": "month",
      "starts_at": "2024-04-01T00:00:00+08:00",
      "ends_at": "2024-05-01T00:00:00+08:00",
      "due_at": "2024-05-06T00:00:00+08:00"
    },
    {
      "code": "2024-05",
      "kind": "month",
      "starts_at": "2024-05-01T00:00:00+08:00",
      "ends_at": "2024-06-01T00:00:00+08:00",
      "due_at": "2024-06-06T00:00:00+08:00"
    },
    {
      "code": "2024-06",
      "kind": "month",
      "starts_at": "2024-06-01T00:00:00+08:00",
      "ends_at": "2024-07-01T00:00:00+08:00",
      "due_at": "2024-07-06T00:00:00+08:00"
    },
    {
      "code": "2024-07",
      "kind": "month",
      "starts_at": "2024-07-01T00:00:00+08:00",
      "ends_at": "2024-08-01T00:00:00+08:00",
      "due_at": "2024-08-06T00:00:00+08:00"
    },
    {
      "code": "2024-08",
      "kind": "month",
      "starts_at": "2024-08-01T00:00:00+08:00",
      "ends_at": "2024-09-01T00:00:00+08:00",
      "due_at": "2024-09-06T00:00:00+08:00"
    },
    {
      "code": "2024-09",
      "kind": "month",
      "starts_at": "2024-09-01T00:00:00+08:00",
      "ends_at": "2024-10-01T00:00:00+08:00",
      "due_at": "2024-10-06T00:00:00+08:00"
    },
    {
      "code": "2024-10",
      "kind": "month",
      "starts_at": "2024-10-01T00:00:00+08:00",
      "ends_at": "2024-11-01T00:00:00+08:00",
      "due_at": "2024-11-06T00:00:00+08:00"
    },
    {
      "code": "2024-11",
      "kind": "month",
      "starts_at": "2024-11-01T00:00:00+08:00",
      "ends_at": "2024-12-01T00:00:00+08:00",
      "due_at": "2024-12-06T00:00:00+08:00"
    },
    {
      "code": "2024-12",
      "kind": "month",
      "starts_at": "2024-12-01T00:00:00+08:00",
      "ends_at": "2025-01-01T00:00:00+08:00",
      "due_at": "2025-01-06T00:00:00+08:00"
    }
  ],
  "targets": [
    {
      "id": "2024/marine-hitech/hq/new-hq-projects",
      "department": "marine-hitech",
      "line": "marine-hitech/hq",
      "name": "新引进总部项目",
      "unit": "个",
      "direction": "at_least",
      "target_figure": "4",
      "current_figure": "0",
      "period": "2024",
      "qualifier": "不少于",
      "version": 1,
      "note": "",
      "sort_order": 1
    },
    {
      "id": "2024/marine-hitech/hq/hq-revenue",
      "department": "marine-hitech",
      "line": "marine-hitech/hq",
      "name": "总部企业营收",
      "unit": "亿元",
      "direction": "at_least",
      "target_figure": "320",
      "current_figure": "0",
      "period": "2024",
      "qualifier": "力争",
      "version": 1,
      "note": "",
      "sort_order": 2
    },
    {
      "id": "2024/yinzhu/industry/output-growth",
      "department": "yinzhu",
      "line": "yinzhu/industry",
      "name": "规上工业产值增长",
      "unit": "亿元",
      "direction": "at_least",
      "target_figure": "12",
      "current_figure": "0",
      "period": "2024",
      "qualifier": "以上",
      "version": 1,
      "note": "",
      "sort_order": 1
    },
    {
      "id": "2024/yinzhu/industry/fixed-asset-investment",
      "department": "yinzhu",
      "line": "yinzhu/industry",
      "name": "固定资产投资",
      "unit": "亿元",
      "direction": "at_least",
      "target_figure": "30",
      "current_figure": "0",
      "period": "2024",
      "qualifier": "不低于",
      "version": 1,
      "note": "",
      "sort_order": 2
    }
  ],
  "batches": [
    {
      "id": "2024/marine-hitech/hq/hq-under-construction",
      "department": "marine-hitech",
      "line": "marine-hitech/hq",
      "name": "在建总部项目",
      "planned_count": 3,
      "planned_investment": "120",
      "investment_qualifier": "近",
      "milestone": "under_construction",
      "sort_order": 1
    },
    {
      "id": "2024/yinzhu/industry/new-projects",
      "department": "yinzhu",
      "line": "yinzhu/industry",
      "name": "新落地项目",
      "planned_count": 2,
      "planned_investment": null,
      "investment_qualifier": "",
      "milestone": "signed",
      "sort_order": 1
    }
  ],
  "projects": [
    {
      "id": "p-2024-ocean-finance-center",
      "name": "海洋金融中心",
      "lead_department": "marine-hitech",
      "co_departments": [],
      "line": "marine-hitech/hq",
      "batch": "2024/marine-hitech/hq/hq-under-construction",
      "planned_investment": "45",
      "investment_completed": "0",
      "percent": "0",
      "stage": "under_construction",
      "version": 1,
      "sort_order": 1
    },
    {
      "id": "p-2024-marine-biotech-park",
      "name": "海洋生物科技园",
      "lead_department": "marine-hitech",
      "co_departments": [
        "yinzhu"
      ],
      "shares": [
        {
          "department": "yinzhu",
          "investment_completed": "0"
        }
      ],
      "line": "marine-hitech/hq",
      "batch": "2024/marine-hitech/hq/hq-under-construction",
      "planned_investment": "30",
      "investment_completed": "0",
      "percent": "0",
      "stage": "planned",
      "version": 1,
      "sort_order": 2
    },
    {
      "id": "p-2024-yinzhu-smart-factory",
      "name": "隐珠智能工厂",
      "lead_department": "yinzhu",
      "co_departments": [],
      "line": "yinzhu/industry",
      "batch": "2024/yinzhu/industry/new-projects",
      "planned_investment": null,
      "investment_completed": "0",
      "percent": "0",
      "stage": "planned",
      "version": 1,
      "sort_order": 3
    }
  ]
}

"""#
}
