"""Character-level normalisation shared by the number reader and the reply extractor.

Every mapping here is one character to one character, so positions found in normalised text are positions in the
original text.
"""

from __future__ import annotations

FULLWIDTH_TO_ASCII: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
FULLWIDTH_TO_ASCII[0x3000] = 0x20  # ideographic space

# Only characters that matter in sourcing replies (numerals, units, money, time, trade and chat vocabulary):
# a full converter would be a dependency, and a character outside this list is simply left as it is.
_TRADITIONAL = (
    "個價塊錢貨樣證認發國換內週運費兩萬億貳參陸圓點時號雙條隻臺檯張對噸鐘禮隨買賣單雜產廠現無沒們麼這裏裡來後開關訂貼標據庫額"
    "滿郵遞際歐韓東亞區將辦與從為說話請謝還質問題補稅務實驗測檢報書優貴種顏層裝紙機電燈鍋壺襪褲線長寬釐碼幣積備齊頭選擇處給數"
    "聯係繫員營業總計幾約達過邊門進應該讓見體級專傳輸銷賬帳預結滙匯鋪舖戶網絡廣陳劉寶筆記錄託櫃倉儲場動紅藍綠黃夠賺虧鬆緊準確"
    "戰爭議談論許識讀寫語譯須製啟簽團歸樂鐵鋼鋁膠絲針織紡車輛設權圖紋減護險盡馬紐蘭羅義聖烏賓緬爾灣獨嗎親頂顆捲間當趕規範餘購"
    "採斷錯誤壞損會於"
)
_SIMPLIFIED = (
    "个价块钱货样证认发国换内周运费两万亿贰叁陆圆点时号双条只台台张对吨钟礼随买卖单杂产厂现无没们么这里里来后开关订贴标据库额"
    "满邮递际欧韩东亚区将办与从为说话请谢还质问题补税务实验测检报书优贵种颜层装纸机电灯锅壶袜裤线长宽厘码币积备齐头选择处给数"
    "联系系员营业总计几约达过边门进应该让见体级专传输销账账预结汇汇铺铺户网络广陈刘宝笔记录托柜仓储场动红蓝绿黄够赚亏松紧准确"
    "战争议谈论许识读写语译须制启签团归乐铁钢铝胶丝针织纺车辆设权图纹减护险尽马纽兰罗义圣乌宾缅尔湾独吗亲顶颗卷间当赶规范余购"
    "采断错误坏损会于"
)
TRADITIONAL_TO_SIMPLIFIED: dict[int, int] = str.maketrans(_TRADITIONAL, _SIMPLIFIED)

# While scanning numbers the Chinese comma stays a clause break: "12，13" is two numbers, not 12.13 or 12,013.
SCAN_TABLE: dict[int, int] = {**FULLWIDTH_TO_ASCII, **TRADITIONAL_TO_SIMPLIFIED, 0xFF0C: 0xFF0C}


def fold(text: str) -> str:
    """Half-width ASCII and Simplified characters, the Chinese comma kept; always the same length as `text`."""
    return text.translate(SCAN_TABLE)
