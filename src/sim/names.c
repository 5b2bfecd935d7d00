/* names.c - name lists: the most common surnames (by 2020 census frequency, roughly) and
 * given-name characters, and place-name stems. Only for demo and simulation data. */
#include "sim/names.h"

#include <stdio.h>

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "邓", "冯", "曹",
	"彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏",
	"苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖",
};
static const char *const given_m[] = {
	"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华",
	"飞", "波", "斌", "宇", "浩", "凯", "俊", "帅", "文", "建", "国", "志", "海", "林", "峰",
};
static const char *const given_f[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "桂", "兰", "萍", "红",
	"梅", "琳", "雪", "婷", "慧", "洁", "燕", "云", "颖", "倩", "晶", "琴", "莉", "丹", "欣",
};
static const char *const townships[] = {
	"东皇", "土城", "温水", "良村", "仙源", "回龙", "同民", "寨坝", "民化", "二郎",
	"程寨", "醒民", "隆兴", "三岔河", "官店", "桑木", "永安", "习酒", "大坡", "双龙",
	"桃林", "坭坝", "九龙", "杉王", "五里", "西城", "马临", "九龙山", "长嵌", "飞鸽",
	"青杠", "石堡", "清溪", "龙井", "红岩", "沙坝", "长岭", "黄泥", "高峰", "太平",
};
static const char *const villages[] = {
	"茶园", "新华", "红星", "团结", "光明", "金竹", "石龙", "白果", "青山", "杉树",
	"柏杨", "核桃", "凉水", "水口", "大田", "中心", "双河", "坪上", "松林", "桂花",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void yl_name_person(struct yl_rng *r, int female, char *out, size_t cap)
{
	const char *const *given = female ? given_f : given_m;
	size_t ng = female ? COUNT(given_f) : COUNT(given_m);
	const char *s = surnames[yl_rng_below(r, COUNT(surnames))];
	const char *g1 = given[yl_rng_below(r, ng)];

	if (yl_rng_chance(r, 0.7))
		snprintf(out, cap, "%s%s%s", s, g1, given[yl_rng_below(r, ng)]);
	else
		snprintf(out, cap, "%s%s", s, g1);
}

const char *yl_name_township(int i)
{
	return townships[(size_t)i % COUNT(townships)];
}

const char *yl_name_village(int i)
{
	return villages[(size_t)i % COUNT(villages)];
}
