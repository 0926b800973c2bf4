"""Data for Chinese names: surname readings and spellings, Cantonese given-name readings."""

# Surnames: "<forms> <pinyin> <variants>". Forms are the simplified/traditional characters
# (compound surnames are two characters). The pinyin is the *surname* reading (曾 is Zeng, not
# the default ceng); ü is written v. Variants are Cantonese (Hong Kong), Hokkien/Teochew/Hakka
# (Malaysia, Singapore, Indonesia, Philippines) and other passport spellings in common use.
# Wade-Giles and the ü forms are generated, so they need not be listed.
_SURNAME_DATA = """
张/張 zhang cheung cheong chong teo teoh tiong
王 wang wong ong heng
李 li lee lei ly lie
刘/劉 liu lau lao liew low lew
陈/陳 chen chan tan chin ting
杨/楊 yang yeung yeo yong young ieong
黄/黃 huang wong ng wee ooi oei hwang
赵/趙 zhao chiu chew chio
吴/吳 wu ng goh woo ngo go gouw
周 zhou chow chau chew
徐 xu tsui chui chee
孙/孫 sun suen soon sng
马/馬 ma mah beh
朱 zhu chu choo chue
胡 hu wu woo oh
郭 guo kwok kok quek koay kuok
何 he ho hoh hor hoe
高 gao ko koh kou
林 lin lam lim lum liem
罗/羅 luo lo law loh lor
郑/鄭 zheng cheng tay teh tee
梁 liang leung leong neo nio
谢/謝 xie tse che chia seah sia cheah
宋 song sung soong
唐 tang tong tng
许/許 xu hui koh kho khor
韩/韓 han hon
冯/馮 feng fung fong pang phang
邓/鄧 deng tang teng
曹 cao cho tso chaw chor
彭 peng pang phang
曾 zeng tsang chang chan
萧/蕭/肖 xiao siu seow siew siaw
田 tian tin
董 dong tung
袁 yuan yuen woon
潘 pan poon pun phua phoa
蔡 cai choi choy tsoi chua chuah chai
蒋/蔣 jiang cheung tseung
余 yu yee yue ee
杜 du to tou toh
叶/葉 ye yip ip yap yeap
程 cheng ching
苏/蘇 su so soh soo
魏 wei ngai gwee ngui
吕/呂 lv lui loo lue
丁 ding ting teng
任 ren yam yum
沈 shen sum shum sim
姚 yao yiu yew
卢/盧 lu lo lou loo lor
姜 jiang keung kiang kang
崔 cui tsui chui choi
钟/鍾/鐘 zhong chung chong cheong
谭/譚 tan tam tham
陆/陸 lu luk lok look
汪 wang wong ong
范 fan faan huan
金 jin kam kim gum
石 shi shek sek seck
廖 liao liu leow liew liaw
贾/賈 jia ka kah
夏 xia ha har
韦/韋 wei wai
傅 fu foo fou poh
方 fang fong hong png
白 bai pak peh
邹/鄒 zou chau chow chew
孟 meng mang beng
熊 xiong hung him hiong
秦 qin chun chin tsun
邱/丘 qiu yau chiu khoo khu hiew
江 jiang kong kang
尹 yin wan wun yoon
薛 xue sit seet
阎/閻/闫 yan yim
段 duan tuen
雷 lei lui loi looi
侯 hou hau how
龙/龍 long lung loong
史 shi sze see
陶 tao to tou toh
黎 li lai lay
贺/賀 he ho hoh
顾/顧 gu koo ku
毛 mao mo mou moh
郝 hao kok hok
龚/龔 gong kung kong
邵 shao shiu sio siew
万/萬 wan man ban
钱/錢 qian chin chien chee tsien
严/嚴 yan yim yen giam
覃 qin tam tan
武 wu mo boo
戴 dai tai tay thye
莫 mo mok boh
孔 kong hung khong kung
向 xiang heung
汤/湯 tang tong tng thng
常 chang seung sheung
温/溫 wen wan woon oon boon
康 kang hong khong
施 shi sze see si
文 wen man boon mun
牛 niu ngau
樊 fan faan
葛 ge kot kat
邢 xing ying
安 an on ahn ngon
齐/齊 qi chai tsai
易 yi yik
乔/喬 qiao kiu kiew
伍 wu ng goh woo
庞/龐 pang pong
颜/顏 yan ngan gan
倪 ni ngai nee ngee
庄/莊 zhuang chong chng
聂/聶 nie nip
章 zhang cheung
鲁/魯 lu lo lou loh
翟 zhai chak chai
殷 yin yan
詹 zhan chim chiam tsim
申 shen san shun
欧/歐 ou au ow oh
耿 geng kang
关/關 guan kwan koon
兰/蘭 lan laan
焦 jiao chiu tsiu
俞 yu yue yee
左 zuo cho tso
柳 liu lau
甘 gan kam kan
祝 zhu chuk
包 bao pau pao
宁/寧 ning ling
尚 shang sheung seung
符 fu foo phu
舒 shu shue
阮 ruan yuen nguyen
柯 ke or kua kwa kho
纪/紀 ji kei kee
梅 mei mui moy buay
童 tong tung
凌 ling leng
毕/畢 bi pat pit
单/單 shan sin seen
区/區 ou au ow aw
解 xie hai
仇 qiu kau
查 zha cha tsa char
朴 piao park pak bak
盖/蓋 ge koi kai
缪/繆 miao mau miu
乐/樂 yue lok ngok
秘 bi
种/種 chong chung
车/車 che
燕 yan yin
过/過 guo
褚 chu chu
曲 qu kuk
能 nai
华/華 hua wah
尉 yu
员/員 yun
召 shao
折 she
牟 mou
冼 xian sin
洗 xian sin
宓 mi
贲/賁 ben
隗 wei
薄 bo
繁 po
句 gou
宿 su suk
岳 yue ngok
欧阳/歐陽 ou-yang auyeung auyoung owyang auyong
司马/司馬 si-ma szema seema
诸葛/諸葛 zhu-ge chukot
上官 shang-guan sheungkoon
皇甫 huang-fu wongpo
令狐 ling-hu lingwoo
东方/東方 dong-fang tungfong
尉迟/尉遲 yu-chi watchi
公孙/公孫 gong-sun kungsuen
慕容 mu-rong moyung
长孙/長孫 zhang-sun cheungsuen
司徒 si-tu szeto seto
夏侯 xia-hou hahau
轩辕/軒轅 xuan-yuan hinyuen
端木 duan-mu tuenmuk
万俟/萬俟 mo-qi
澹台/澹臺 tan-tai
宇文 yu-wen yuman
南宫/南宮 nan-gong namkung
西门/西門 xi-men saimun
呼延 hu-yan
百里 bai-li
钟离/鍾離 zhong-li chunglei
申屠 shen-tu
单于/單于 chan-yu
"""

# Cantonese (Hong Kong government romanisation) of characters common in given names, so that
# 张伟 is found by "Cheung Wai". Not exhaustive: characters outside it get pinyin and Wade-Giles.
_CANTONESE_DATA = """
伟偉 wai|明 ming|华華 wah|文 man|强強 keung|志 chi|国國 kwok|家 ka|嘉 ka|俊 chun|杰傑 kit
美 mei|玲 ling|丽麗 lai|芳 fong|婷 ting|敏 man|静靜 ching|秀 sau|英 ying|慧 wai|小 siu
建 kin|德 tak|成 shing|永 wing|浩 ho|子 tsz|雅 nga|欣 yan|思 sze|宇 yu|豪 ho|健 kin
辉輝 fai|海 hoi|平 ping|军軍 kwan|勇 yung|斌 pan|红紅 hung|梅 mui|兰蘭 lan|芬 fun|燕 yin
霞 ha|娟 kuen|琳 lam|丹 tan|萍 ping|玉 yuk|珍 chun|凤鳳 fung|洁潔 kit|琴 kam|云雲 wan
莲蓮 lin|娜 na|婉 yuen|淑 suk|惠 wai|珠 chu|翠 chui|雪 suet|晶 ching|彩 choi|春 chun
菊 kuk|月 yuet|妮 nei|莉 lei|佳 kai|倩 sin|颖穎 wing|怡 yi|诗詩 sze|晓曉 hiu|雯 man|琪 kei
宝寶 po|贵貴 kwai|福 fuk|生 sang|龙龍 lung|祥 cheung|发發 fat|财財 choi|荣榮 wing|光 kwong
东東 tung|新 san|林 lam|中 chung|金 kam|保 po|安 on|山 shan|峰 fung|波 po|宁寧 ning
涛濤 to|鹏鵬 pang|刚剛 kong|磊 lui|超 chiu|亮 leung|飞飛 fei|毅 ngai|鸿鴻 hung|博 pok
立 lap|信 shun|昌 cheong|达達 tat|天 tin|民 man|仁 yan|义義 yee|礼禮 lai|智 chi|忠 chung
孝 hau|贤賢 yin|振 chun|兴興 hing|汉漢 hon|伦倫 lun|恩 yan|乐樂 lok|晨 san|阳陽 yeung
雄 hung|锋鋒 fung|威 wai|力 lik|泽澤 chak|正 ching|清 ching|坤 kwan|敬 king|耀 yiu
铭銘 ming|佩 pui|慈 chi|爱愛 oi|心 sum|秋 chau|冬 tung|芝 chi|冰 ping|霖 lam|琦 kei
瑜 yu|君 kwan|梓 tsz|晴 ching|瑶瑤 yiu|悦悅 yuet|萱 huen|轩軒 hin|凯凱 hoi|翔 cheung
彬 pan|良 leung|桂 kwai|兵 ping|艳艷豔 yim|一 yat|大 tai|少 siu|亚亞 a|阿 a|凡 fan|方 fong
雨 yu|星 sing|伯 pak|有 yau|友 yau|卫衛 wai|维維 wai|玮瑋 wai|炜煒 wai|薇 mei|宏 wang
洪 hung|弘 wang|晖暉 fai|峻 chun|骏駿 chun|钧鈞 kwan|均 kwan|桦樺 wah|基 kei|锦錦 kam
景 king|庆慶 hing|康 hong|泰 tai|富 fu|贞貞 ching|莹瑩 ying|宜 yi|树樹 shu|松 chung
柏 pak|楠 nam|南 nam|北 pak|西 sai|世 sai|祖 cho|宗 chung|启啟 kai|坚堅 kin|锐銳 yui
武 mo|珊 shan|琼瓊 king|银銀 ngan|碧 pik|蕾 lui|蓉 yung|若 yeuk|梦夢 mung|希 hei|悠 yau
和 wo|顺順 shun|利 lee|寿壽 sau|喜 hei|才 choi|善 sin|旺 wong|江 kong|河 ho|湖 wu|洋 yeung
森 sum|竹 chuk|日 yat|风風 fung|霜 sheung|虎 fu|鹤鶴 hok|士 sze|哲 chit|涵 ham|彤 tung
璐 lo|欢歡 fun|妍 yin|婧 ching|楷 kai|皓 ho|熙 hei|逸 yat|诚誠 shing|鑫 yam|巧 hau|娥 ngo
素 so|真 chun|环環 wan|妹 mui|香 heung|媛 wun|瑞 sui|娣 tai|叶葉 yip|珊 shan|莎 sa|青 ching
露 lo|仪儀 yee|荷 ho|眉 mei|蕊 yui|菁 ching|岚嵐 lam|馨 hing|韵韻 wan|艺藝 ngai|咏詠 wing
聪聰 chung|纯純 shun|毓 yuk|昭 chiu|羽 yu|育 yuk|筠 kwan|柔 yau|凝 ying|枫楓 fung|芸 wan
菲 fei|寒 hon|伊 yi|可 ho|舒 shu|影 ying|贝貝 pui|恒恆 hang|剑劍 kim|娇嬌 kiu|灵靈 ling
容 yung|睿 yui|唯 wai|彦彥 yin|语語 yu|昱 yuk|钰鈺 yuk|玛瑪 ma|嫦 sheung|婵嬋 shim|茵 yan
"""
